package dev.durablerelease.config;

import dev.durablerelease.spec.SbomPackage;
import dev.durablerelease.spec.SbomSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code sbom} section: formats, the project's identifiers and its vendored components. */
final class SbomValidator {
  static final List<String> FORMATS = List.of("spdx", "cyclonedx");

  private final Findings findings;

  SbomValidator(Findings findings) {
    this.findings = findings;
  }

  SbomSpec normalize(SbomSpec raw) {
    SbomSpec s = raw == null ? new SbomSpec(null, null, null) : raw;
    List<String> formats = findings.formats(s.formats(), FORMATS, FORMATS, "/sbom/formats");
    String purl = purl(findings.expand(s.purl(), "/sbom/purl"), "/sbom/purl");
    String cpe = cpe(findings.expand(s.cpe(), "/sbom/cpe"), "/sbom/cpe");
    String downloadUrl = findings.expand(s.downloadUrl(), "/sbom/downloadUrl");
    if (downloadUrl != null) {
      if (!downloadUrl.matches("https?://[^/\\s]+(/\\S*)?")) {
        findings.error("/sbom/downloadUrl", "\"" + downloadUrl + "\" must be an http(s) URL of the release folder,"
            + " e.g. https://downloads.example.org/{project}/{version}/");
      } else if (!downloadUrl.endsWith("/")) {
        downloadUrl = downloadUrl + "/";
      }
    }
    if (s.merge() != null && !treePath(s.merge())) {
      findings.error("/sbom/merge", "\"" + s.merge() + "\" must be a path inside the tree, e.g. Misc/sbom.spdx.json");
    }
    List<SbomPackage> packages = new ArrayList<>();
    List<SbomPackage> given = s.packages() == null ? List.of() : s.packages();
    for (int i = 0; i < given.size(); i++) {
      String at = "/sbom/packages/" + i;
      SbomPackage p = given.get(i);
      if (p == null || p.name() == null || p.name().isBlank()) {
        findings.error(at + "/name", "missing; name the vendored component, e.g. zlib");
        continue;
      }
      if (packages.stream().anyMatch(q -> q.name().equals(p.name()))) {
        findings.error(at + "/name", "\"" + p.name() + "\" is listed twice");
      }
      List<String> paths = p.paths() == null ? List.of() : List.copyOf(p.paths());
      if (paths.isEmpty()) {
        findings.error(at + "/paths", "missing; list the files or folders of " + p.name() + " in the tree, e.g."
            + " [vendor/" + p.name() + "/]");
      }
      for (int j = 0; j < paths.size(); j++) {
        if (paths.get(j) == null || !treePath(paths.get(j))) {
          findings.error(at + "/paths/" + j, "\"" + paths.get(j) + "\" must be a relative path inside the tree");
        }
      }
      packages.add(new SbomPackage(p.name(), p.version(), p.license(), purl(p.purl(), at + "/purl"),
          cpe(p.cpe(), at + "/cpe"), paths));
    }
    return new SbomSpec(formats, s.supplier(), s.license(), packages, s.merge(), downloadUrl, purl, cpe);
  }

  private String purl(String purl, String at) {
    if (purl != null && !purl.matches("pkg:[A-Za-z][A-Za-z0-9.+-]*/\\S+")) {
      findings.error(at, "\"" + purl + "\" is not a package URL; write pkg:TYPE/NAMESPACE/NAME@VERSION");
    }
    return purl;
  }

  private String cpe(String cpe, String at) {
    if (cpe != null && !cpe.matches("cpe:2\\.3:[aho*-](:[^:\\s]+){10}")) {
      findings.error(at, "\"" + cpe + "\" is not a CPE 2.3 name; write cpe:2.3:a:VENDOR:PRODUCT:VERSION:*:*:*:*:*:*:*");
    }
    return cpe;
  }

  /** A relative path that stays inside the tree. */
  static boolean treePath(String path) {
    return !path.isBlank() && !path.startsWith("/") && !path.contains("\\")
        && !Arrays.asList(path.split("/")).contains("..");
  }
}
