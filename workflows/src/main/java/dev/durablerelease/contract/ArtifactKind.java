package dev.durablerelease.contract;

/** What a release file is; decides where it is listed in {@code release.json}. */
public enum ArtifactKind {
  SOURCE_ARCHIVE,
  DOCS_ARCHIVE,
  SBOM,
  PROVENANCE,
  /** A Sigstore bundle ({@code <file>.sigstore}). */
  SIGNATURE,
  /** The {@code trusted_root.json} of a dev-mode signing instance. */
  TRUSTED_ROOT,
  LOG,
  MANIFEST,
  CHECKSUMS
}
