package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;
import java.util.Map;

/**
 * The source archives and their SBOMs as the second builder made them.
 *
 * @param archives its archives, in the spec's order
 * @param sboms its SBOMs of them
 * @param differences for each file whose bytes are not the first builder's, its first differing entry (e.g. {@code
 *     hello-1.0.0/Makefile: mode 0755, first builder 0644}); the workflow decides on the digests, this only says why
 * @param run how the activity ran
 */
public record Rebuild(List<ArtifactRef> archives, List<ArtifactRef> sboms, Map<String, String> differences,
    StageRun run) implements StageOutput {

  @Override
  public Rebuild withRun(StageRun newRun) {
    return new Rebuild(archives, sboms, differences, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return java.util.stream.Stream.concat(archives.stream(), sboms.stream()).toList();
  }
}
