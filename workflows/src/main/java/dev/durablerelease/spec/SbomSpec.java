package dev.durablerelease.spec;

import java.util.List;

/**
 * Software bills of materials written for every archive.
 *
 * @param formats SBOM formats: {@code spdx} (SPDX 2.3 JSON) and {@code cyclonedx} (CycloneDX 1.6 JSON); both by default
 * @param supplier the organisation named as supplier and creator, e.g. {@code Example Org}
 * @param license the project's declared licence (an SPDX expression), if any
 * @param packages vendored components declared here, matched to the archive's files by path
 * @param merge path in the tree of an SPDX 2.x JSON document listing vendored components and their files with
 *     checksums (as CPython's {@code Misc/sbom.spdx.json}); its files are matched by path and checksum
 * @param downloadUrl public URL of the folder the release files are downloaded from, if any: gives each archive's
 *     download location and the SPDX document namespace
 * @param purl the project's package URL, e.g. {@code pkg:github/example/hello@{version}}
 * @param cpe the project's CPE 2.3 name, e.g. {@code cpe:2.3:a:example:hello:{version}:*:*:*:*:*:*:*}
 */
public record SbomSpec(List<String> formats, String supplier, String license, List<SbomPackage> packages,
    String merge, String downloadUrl, String purl, String cpe) {

  /** The settings of specs written before vendored components existed. */
  public SbomSpec(List<String> formats, String supplier, String license) {
    this(formats, supplier, license, null, null, null, null, null);
  }
}
