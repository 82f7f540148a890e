package dev.durablerelease.spec;

import java.util.List;

/**
 * How a release's version is read, sent to the workers that parse it for themselves (the operator's gates never take
 * a level the workflow computed).
 *
 * @param scheme {@code semver}, {@code pep440}, {@code calver} or {@code none}
 * @param pattern the calendar pattern of calver, else null
 * @param maintenanceLines lines the spec declares may still publish below the greatest final, e.g. {@code 3.12.*}
 */
public record Versioning(String scheme, String pattern, List<String> maintenanceLines) {
  public static final Versioning NONE = new Versioning(VersionFacts.NONE, null, List.of());

  public Versioning {
    scheme = scheme == null ? VersionFacts.NONE : scheme;
    maintenanceLines = maintenanceLines == null ? List.of() : maintenanceLines;
  }

  /** What an input of an engine before version schemes carried: nothing. */
  public static Versioning orNone(Versioning versioning) {
    return versioning == null ? NONE : versioning;
  }
}
