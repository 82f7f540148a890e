package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * A command's limits, granted under the ceilings of the worker that will run it.
 *
 * @param summary the limits the command will run with, in a few words
 * @param run how the check ran
 */
public record LimitsGrant(String summary, StageRun run) implements StageOutput {
  @Override
  public LimitsGrant withRun(StageRun newRun) {
    return new LimitsGrant(summary, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of();
  }
}
