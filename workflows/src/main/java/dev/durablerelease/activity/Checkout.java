package dev.durablerelease.activity;

import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.contract.ArtifactRef;
import java.util.List;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;

/**
 * The verified source of a release.
 *
 * @param repository where it came from
 * @param tag the tag released
 * @param commit the full commit id the tag resolved to
 * @param tree the commit's tree id
 * @param commitTime commit time in epoch seconds (UTC); every archive and SBOM timestamp is this
 * @param spec the spec the release runs with
 * @param specDigest SHA-256 of the spec's canonical JSON
 * @param resume whether later stages may reuse results of an earlier run with identical inputs
 * @param run how the activity ran
 */
public record Checkout(
    String repository,
    String tag,
    String commit,
    String tree,
    long commitTime,
    ReleaseSpec spec,
    String specDigest,
    boolean resume,
    StageRun run) implements StageOutput {

  /** The same checkout, letting later stages reuse what an earlier run of this release made. */
  public Checkout resuming() {
    return new Checkout(repository, tag, commit, tree, commitTime, spec, specDigest, true, run);
  }

  @Override
  public Checkout withRun(StageRun newRun) {
    return new Checkout(repository, tag, commit, tree, commitTime, spec, specDigest, resume, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of();
  }
}
