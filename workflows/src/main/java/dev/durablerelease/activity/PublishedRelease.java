package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import java.util.List;

/**
 * What a release's targets already hold of it, looked at before anything is approved, signed or written.
 *
 * @param releaseJson the {@code release.json} every target holds, when they hold the whole release: one that lists
 *     exactly this run's content files (archives, docs, SBOMs) with their digests, every file it lists being there too
 * @param checksums its {@code SHA256SUMS}
 * @param files every file that release.json lists, now in the artifact store (checked against its digest)
 * @param partly whether the publish ledger records a content file of this release on a target: it was published in
 *     part, so what is made again (provenance, signatures, manifest) must be what was published, from the store
 */
public record PublishedRelease(ArtifactRef releaseJson, ArtifactRef checksums, List<ArtifactRef> files,
    boolean partly) {

  public static final PublishedRelease NONE = new PublishedRelease(null, null, List.of(), false);
  public static final PublishedRelease PARTLY = new PublishedRelease(null, null, List.of(), true);

  /** Whether every target holds the whole release. */
  public boolean complete() {
    return releaseJson != null;
  }
}
