package dev.durablerelease.spec;

import java.util.List;

/**
 * Software bills of materials written for every archive.
 *
 * @param formats SBOM formats, e.g. {@code [spdx]}
 * @param supplier the organisation named as supplier and creator, e.g. {@code Example Org}
 * @param license the project's declared licence (an SPDX expression), if any
 */
public record SbomSpec(List<String> formats, String supplier, String license) {}
