package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * One SBOM per archive and format.
 *
 * @param sboms the SBOM files
 * @param run how the activity ran
 */
public record Sboms(List<ArtifactRef> sboms, StageRun run) implements StageOutput {

  @Override
  public Sboms withRun(StageRun newRun) {
    return new Sboms(sboms, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return sboms;
  }
}
