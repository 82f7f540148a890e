package dev.durablerelease.sbom;

import dev.durablerelease.archive.FileDigest;
import java.util.List;

/**
 * A vendored component found in an archive: third-party code kept in the project's tree.
 *
 * @param name its name
 * @param version its version, or null
 * @param license its licence (SPDX expression), or null
 * @param purl package URL, or null
 * @param cpe CPE 2.3 name, or null
 * @param downloadLocation where it comes from, or null
 * @param supplier SPDX supplier text ({@code Organization: …}), or null
 * @param checksums digests of the upstream package as a merged document gives them (SPDX algorithm names)
 * @param files the archive files that belong to it, sorted by path
 * @param dependsOn the other vendored components it depends on, as {@link #key()}s, sorted (a merged document's
 *     DEPENDS_ON and DEPENDENCY_OF relationships between its packages)
 */
record VendoredComponent(String name, String version, String license, String purl, String cpe, String downloadLocation,
    String supplier, List<Checksum> checksums, List<FileDigest> files, List<String> dependsOn) {

  record Checksum(String algorithm, String value) {}

  /** Name and version: what names a component across documents. */
  String key() {
    return key(name, version);
  }

  static String key(String name, String version) {
    return name + "@" + version;
  }
}
