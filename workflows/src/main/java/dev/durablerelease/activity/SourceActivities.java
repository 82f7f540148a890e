package dev.durablerelease.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stages that read the repository and write release files; served on {@link TaskQueues#SOURCE}. */
@ActivityInterface
public interface SourceActivities {
  /**
   * Fetches the tag into the worker's git cache, resolves it to a commit, checks {@code expectedCommit}, and loads the
   * spec. Idempotent: a repeat fetches nothing new and returns the same result.
   */
  @ActivityMethod(name = "checkout")
  Checkout checkout(CheckoutInput input);

  /**
   * Writes the source archives straight from the commit's git objects. Idempotent by construction: the same commit
   * and spec always give the same bytes, stored under their digest.
   */
  @ActivityMethod(name = "buildSource")
  Archives buildSource(Checkout checkout);

  /**
   * The second builder: makes the source archives and their SBOMs again from the commit, on its own queue ({@link
   * TaskQueues#SOURCE_2}), and says where each file differs from the first builder's. Never reused from an earlier
   * run and writes no records, only blobs: a check that was not made again proves nothing, and what the first
   * builder's stages read stays the first builder's.
   */
  @ActivityMethod(name = "rebuildSource")
  Rebuild rebuildSource(RebuildInput input);

  /** Writes one SBOM per archive and format. Idempotent: output depends only on the archives and the spec. */
  @ActivityMethod(name = "generateSbom")
  Sboms generateSbom(SbomInput input);

  /**
   * Writes {@code provenance.intoto.json}, the SLSA v1 provenance of the release. A repeat writes the same statement
   * but for its finish time; the workflow keeps the one of the attempt that succeeded.
   */
  @ActivityMethod(name = "provenance")
  Provenance provenance(ProvenanceInput input);

  /** Writes {@code release.json} and {@code SHA256SUMS} into the store. Idempotent: same input, same files. */
  @ActivityMethod(name = "writeManifest")
  Manifest writeManifest(ManifestInput input);
}
