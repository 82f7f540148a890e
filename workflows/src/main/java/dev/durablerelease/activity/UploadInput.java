package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.spec.TargetRequest;
import dev.durablerelease.spec.Versioning;
import java.util.List;

/**
 * What to publish where. The targets are names; their URLs and credentials are the upload worker's policy.
 *
 * @param project the project (targets must be granted to it)
 * @param version the version ({@code {version}} in target URLs)
 * @param targets the targets the spec asks for
 * @param files the files, in publication order (manifest files last)
 * @param dryRun stage and verify on every target, then remove the staged files instead of publishing them
 * @param versioning how the spec reads the version (target templates derive names from it); null from engines before
 *     version schemes
 */
public record UploadInput(String project, String version, List<TargetRequest> targets, List<ArtifactRef> files,
    boolean dryRun, Versioning versioning) {

  public UploadInput(String project, String version, List<TargetRequest> targets, List<ArtifactRef> files,
      boolean dryRun) {
    this(project, version, targets, files, dryRun, null);
  }
}
