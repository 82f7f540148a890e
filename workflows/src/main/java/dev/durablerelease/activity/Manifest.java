package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * The release's index files.
 *
 * @param releaseJson {@code release.json}
 * @param checksums {@code SHA256SUMS}
 * @param run how the activity ran
 */
public record Manifest(ArtifactRef releaseJson, ArtifactRef checksums, StageRun run) implements StageOutput {

  @Override
  public Manifest withRun(StageRun newRun) {
    return new Manifest(releaseJson, checksums, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of(releaseJson, checksums);
  }
}
