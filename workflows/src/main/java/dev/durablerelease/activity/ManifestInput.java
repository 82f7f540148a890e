package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.StageStatus;
import java.util.List;

/**
 * What {@code release.json} records.
 *
 * @param checkout the verified source
 * @param artifacts every file of the release
 * @param logs logs of the project commands (kept in the store, not published)
 * @param stages the checklist so far
 * @param targets where the release will be published
 * @param operatorEvents decisions operators took so far (retry, skip)
 * @param approvals the signed approvals, verified on the sign worker
 * @param signing how the release is signed ({@code public}, {@code private}, {@code dev}), or null when it is not
 * @param agreement the two builders that made the same source archives and SBOMs, or null when one built them
 */
public record ManifestInput(
    Checkout checkout, List<ArtifactRef> artifacts, List<ArtifactRef> logs, List<StageStatus> stages, List<String> targets,
    List<OperatorEvent> operatorEvents, List<SignedDecision> approvals, String signing, BuildAgreement agreement) {}
