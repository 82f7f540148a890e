package dev.durablerelease.activity;

import dev.durablerelease.spec.SignSpec;
import dev.durablerelease.contract.ArtifactRef;
import java.util.List;

/**
 * What to sign and how.
 *
 * @param sign the spec's signing settings (references only)
 * @param files the files to sign, each with the digest recorded by the stage that produced it
 * @param resume reuse the bundles an earlier run of this release made for exactly these files
 */
public record SignInput(SignSpec sign, List<ArtifactRef> files, boolean resume) {

  public SignInput(SignSpec sign, List<ArtifactRef> files) {
    this(sign, files, false);
  }
}
