package dev.durablerelease.workflow;

import java.util.List;

/**
 * Answer of the {@code status} query.
 *
 * @param project project name once known (after checkout when the spec comes from the repository)
 * @param version the version being released
 * @param state the release as a whole
 * @param currentStage the stage running now, or the one that failed
 * @param stages every stage of the checklist, in order
 */
public record ReleaseStatus(
    String project, String version, ReleaseState state, String currentStage, List<StageStatus> stages) {}
