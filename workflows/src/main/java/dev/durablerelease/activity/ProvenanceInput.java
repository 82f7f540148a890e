package dev.durablerelease.activity;

import dev.durablerelease.workflow.ArtifactRef;
import dev.durablerelease.workflow.OperatorEvent;
import dev.durablerelease.workflow.StageStatus;
import java.util.List;

/**
 * What the provenance statement describes.
 *
 * @param checkout the verified source and the resolved spec
 * @param subjects every release file it vouches for
 * @param stages the checklist so far (attempts, workers, times)
 * @param operatorEvents operators' decisions so far: approvals, retries, skips
 */
public record ProvenanceInput(
    Checkout checkout, List<ArtifactRef> subjects, List<StageStatus> stages, List<OperatorEvent> operatorEvents) {}
