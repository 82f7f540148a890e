package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;

/**
 * The SLSA provenance of the release.
 *
 * @param statement {@code provenance.intoto.json}
 * @param run how the activity ran
 */
public record Provenance(ArtifactRef statement, StageRun run) implements StageOutput {

  @Override
  public Provenance withRun(StageRun newRun) {
    return new Provenance(statement, newRun);
  }

  @Override
  public java.util.List<ArtifactRef> artifacts() {
    return java.util.List.of(statement);
  }
}
