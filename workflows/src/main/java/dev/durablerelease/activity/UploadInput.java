package dev.durablerelease.activity;

import dev.durablerelease.spec.UploadSpec;
import dev.durablerelease.contract.ArtifactRef;
import java.util.List;

/**
 * What to publish where.
 *
 * @param targets the spec's targets
 * @param files the files, in publication order (manifest files last)
 * @param dryRun stage and verify on every target, then remove the staged files instead of publishing them
 */
public record UploadInput(List<UploadSpec> targets, List<ArtifactRef> files, boolean dryRun) {

  public UploadInput(List<UploadSpec> targets, List<ArtifactRef> files) {
    this(targets, files, false);
  }
}
