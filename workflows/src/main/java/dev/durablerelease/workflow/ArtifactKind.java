package dev.durablerelease.workflow;

/** What a release file is; decides where it is listed in {@code release.json}. */
public enum ArtifactKind {
  SOURCE_ARCHIVE,
  DOCS_ARCHIVE,
  SBOM,
  LOG,
  MANIFEST,
  CHECKSUMS
}
