package dev.durablerelease.spec;

import java.util.List;

/**
 * A vendored component: third-party code kept inside the project's tree.
 *
 * @param name component name, e.g. {@code zlib}
 * @param version its version, if known
 * @param license its licence (an SPDX expression), if known
 * @param purl its package URL, e.g. {@code pkg:github/madler/zlib@v1.3.1}
 * @param cpe its CPE 2.3 name
 * @param paths files or folders in the tree (relative to its root) that belong to it; each must match a file
 */
public record SbomPackage(String name, String version, String license, String purl, String cpe, List<String> paths) {}
