package dev.durablerelease.activity;

import dev.durablerelease.workflow.StageOutput;
import dev.durablerelease.workflow.StageRun;
import java.util.List;

/**
 * A finished publication.
 *
 * @param targets the target URLs, each holding every file of the release
 * @param filesWritten files copied in this run (0 when a re-run found everything already published)
 * @param run how the activity ran
 */
public record Publication(List<String> targets, int filesWritten, StageRun run) implements StageOutput {

  @Override
  public Publication withRun(StageRun newRun) {
    return new Publication(targets, filesWritten, newRun);
  }

  @Override
  public List<dev.durablerelease.workflow.ArtifactRef> artifacts() {
    return List.of();
  }
}
