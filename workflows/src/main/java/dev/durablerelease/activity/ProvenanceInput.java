package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.StageStatus;
import java.util.List;

/**
 * What the provenance statement describes.
 *
 * @param checkout the verified source and the resolved spec
 * @param subjects every release file it vouches for
 * @param stages the checklist so far (attempts, workers, times)
 * @param operatorEvents operators' decisions so far: approvals, retries, skips
 * @param approvals the signed approvals, verified on the sign worker
 * @param agreement the two builders that made the same source archives and SBOMs, or null when one built them
 */
public record ProvenanceInput(
    Checkout checkout, List<ArtifactRef> subjects, List<StageStatus> stages, List<OperatorEvent> operatorEvents,
    List<SignedDecision> approvals, BuildAgreement agreement) {}
