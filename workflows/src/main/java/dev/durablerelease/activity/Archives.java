package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * The source archives, one per configured format, in the spec's order.
 *
 * @param archives the archives
 * @param fileCount regular files and symlinks in each archive
 * @param run how the activity ran
 */
public record Archives(List<ArtifactRef> archives, int fileCount, StageRun run) implements StageOutput {

  /** The archive tests and docs unpack: the first tar format configured (tar.gz by default). */
  @Override
  public Archives withRun(StageRun newRun) {
    return new Archives(archives, fileCount, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return archives;
  }

  public ArtifactRef primary() {
    return archives.stream().filter(a -> a.name().contains(".tar.")).findFirst().orElse(archives.get(0));
  }
}
