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
 */
record VendoredComponent(String name, String version, String license, String purl, String cpe, String downloadLocation,
    String supplier, List<Checksum> checksums, List<FileDigest> files) {

  record Checksum(String algorithm, String value) {}
}
