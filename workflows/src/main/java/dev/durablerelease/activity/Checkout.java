package dev.durablerelease.activity;

import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.workflow.StageOutput;
import dev.durablerelease.workflow.StageRun;

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
    StageRun run) implements StageOutput {}
