package dev.durablerelease.config;

import dev.durablerelease.spec.ReleaseLevel;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.version.InvalidVersionException;
import dev.durablerelease.version.Versions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The version's rules: {@code versionScheme}, {@code versionPattern}, {@code maintenanceLines}, the {@code preset}
 * and each stage's {@code when}. Parses the version under its scheme, so an invalid one is a spec error naming the
 * scheme's rule, and gives the facts the templates derive names from.
 */
final class VersionValidator {
  static final String CPYTHON = "cpython";
  /** CPython's release tools take X.Y.Z with an optional aN, bN or rcN (release.py's Tag). */
  private static final Pattern CPYTHON_VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+((a|b|rc)[0-9]+)?");
  /** CPython builds documentation for release candidates and finals only (select_jobs.py). */
  static final List<String> CPYTHON_DOCS_WHEN = List.of(ReleaseLevel.RC.id(), ReleaseLevel.FINAL.id());

  private final Findings findings;
  private String scheme = VersionFacts.NONE;
  private String preset;

  VersionValidator(Findings findings) {
    this.findings = findings;
  }

  String scheme() {
    return scheme;
  }

  /**
   * Checks the version rules and parses the version (already checked to be a plain name); returns what it means,
   * or null when it is not valid under its scheme.
   */
  VersionFacts normalize(ReleaseSpec raw, String version) {
    preset = raw.preset();
    if (preset != null && !preset.equals(CPYTHON)) {
      findings.error("/preset", "unknown preset \"" + preset + "\"; the one there is: cpython (docs/spec.md)");
      preset = null;
    }
    scheme = raw.versionScheme() != null ? raw.versionScheme() : CPYTHON.equals(preset) ? "pep440" : VersionFacts.NONE;
    if (!Versions.SCHEMES.contains(scheme)) {
      findings.error("/versionScheme", "unknown scheme \"" + scheme + "\"; use semver (SemVer 2.0.0), pep440,"
          + " calver (with versionPattern) or none");
      scheme = VersionFacts.NONE;
    } else if (CPYTHON.equals(preset) && !scheme.equals("pep440")) {
      findings.error("/versionScheme", "preset cpython versions releases as PEP 440 does; remove versionScheme: "
          + scheme + " or the preset");
    }
    boolean usablePattern = true;
    if (scheme.equals("calver")) {
      String problem = Versions.calendarPatternProblem(raw.versionPattern());
      if (problem != null) {
        findings.error("/versionPattern", problem);
        usablePattern = false;
      }
    } else if (raw.versionPattern() != null) {
      findings.error("/versionPattern", "only versionScheme: calver has a pattern; remove it");
    }
    maintenanceLines(raw.maintenanceLines());
    if (version == null || !usablePattern) {
      return null;
    }
    try {
      VersionFacts facts = Versions.facts(scheme, raw.versionPattern(), version);
      if (CPYTHON.equals(preset) && !CPYTHON_VERSION.matcher(facts.normalized()).matches()) {
        findings.error("/version", "\"" + version + "\" is not a CPython release version: preset cpython releases"
            + " X.Y.Z or X.Y.Z followed by aN, bN or rcN, e.g. 3.14.0 or 3.14.0rc1 (release-tools' Tag)");
        return null;
      }
      return facts;
    } catch (InvalidVersionException e) {
      findings.error("/version", e.getMessage());
      return null;
    }
  }

  private void maintenanceLines(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (scheme.equals(VersionFacts.NONE)) {
        findings.error("/maintenanceLines", "maintenance lines need an order of versions; add versionScheme:"
            + " semver, pep440 or calver");
        return;
      }
      if (!Versions.isMaintenanceLine(lines.get(i))) {
        findings.error("/maintenanceLines/" + i, "\"" + lines.get(i) + "\" is not a maintenance line; write the"
            + " release numbers it keeps and .*, e.g. 3.12.*");
      }
    }
  }

  /** A stage's {@code when}: release levels, each once; the preset's when it says none. */
  List<String> when(List<String> given, String at, boolean docs) {
    if (given == null || given.isEmpty()) {
      return docs && CPYTHON.equals(preset) ? CPYTHON_DOCS_WHEN : List.of();
    }
    if (scheme.equals(VersionFacts.NONE)) {
      findings.error(at, "when: needs release levels, which a version has only under a scheme; add versionScheme:"
          + " semver, pep440 or calver");
      return List.of();
    }
    findings.levels(given, at);
    return given.stream().distinct().filter(level -> ReleaseLevel.byId(level) != null).toList();
  }
}
