package dev.durablerelease.workflow;

import java.util.List;

/**
 * The approval gate as the {@code status} query shows it while the release waits there.
 *
 * @param approvals how many distinct approvers must sign
 * @param approvers who may approve (names in the operator's policy)
 * @param approvedBy who has approved so far, verified
 * @param statement the exact text to sign with {@code ssh-keygen -Y sign -n
 *     durable-release-decision@durablerelease.dev} (what {@code release approve} does)
 */
public record ApprovalStatus(int approvals, List<String> approvers, List<String> approvedBy, String statement) {}
