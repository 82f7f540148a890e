package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * A project command that succeeded.
 *
 * @param log its combined stdout and stderr, in the store
 * @param outputs archives of the output folders (docs), empty for tests
 * @param commandMillis time the command itself ran
 * @param run how the activity ran
 */
public record CommandReport(ArtifactRef log, List<ArtifactRef> outputs, long commandMillis, StageRun run)
    implements StageOutput {

  @Override
  public CommandReport withRun(StageRun newRun) {
    return new CommandReport(log, outputs, commandMillis, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    List<ArtifactRef> all = new java.util.ArrayList<>(outputs);
    all.add(log);
    return all;
  }
}
