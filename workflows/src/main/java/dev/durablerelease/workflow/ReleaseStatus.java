package dev.durablerelease.workflow;

import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.StageStatus;
import java.util.List;

/**
 * Answer of the {@code status} query.
 *
 * @param project project name once known (after checkout when the spec comes from the repository)
 * @param version the version being released
 * @param state the release as a whole
 * @param currentStage the stage(s) running, blocked or waiting now
 * @param detail one human line: what is happening and what, if anything, is wanted from an operator
 * @param stages every stage of the checklist, in order
 * @param blocked stages waiting for retry, skip or abort
 * @param approval the approval gate while the release waits there, else null
 * @param operatorEvents decisions taken so far (retry, skip, approve, abort)
 */
public record ReleaseStatus(
    String project,
    String version,
    ReleaseState state,
    String currentStage,
    String detail,
    List<StageStatus> stages,
    List<BlockedStage> blocked,
    ApprovalStatus approval,
    List<OperatorEvent> operatorEvents) {}
