package dev.durablerelease.activity;

import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.VersionFacts;
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
 * @param version what the version means under the spec's scheme (null from engines before version schemes)
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
    StageRun run,
    VersionFacts version) implements StageOutput {

  /** A checkout whose version is text (as engines before version schemes made). */
  public Checkout(String repository, String tag, String commit, String tree, long commitTime, ReleaseSpec spec,
      String specDigest, boolean resume, StageRun run) {
    this(repository, tag, commit, tree, commitTime, spec, specDigest, resume, run, null);
  }

  /** The same checkout, letting later stages reuse what an earlier run of this release made. */
  public Checkout resuming() {
    return new Checkout(repository, tag, commit, tree, commitTime, spec, specDigest, true, run, version);
  }

  @Override
  public Checkout withRun(StageRun newRun) {
    return new Checkout(repository, tag, commit, tree, commitTime, spec, specDigest, resume, newRun, version);
  }

  /** What the version means; text only for a checkout made before version schemes. */
  public VersionFacts facts() {
    return version != null ? version : VersionFacts.unparsed(spec.version());
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of();
  }
}
