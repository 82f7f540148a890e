package dev.durablerelease.policy;

import java.util.List;

/**
 * How the operator reads a project's versions; read on the sign and upload workers.
 *
 * @param scheme the scheme its versions are read under, whatever its spec says: {@code semver}, {@code pep440} or
 *     {@code calver}; a spec naming another is refused. Needed by {@code approval: when:}, so that the approval gate
 *     never depends on a scheme a pushed tag chose
 * @param pattern calver's pattern, e.g. {@code YYYY.0M.MICRO}
 * @param maintenanceLines lines that may publish below the greatest final, e.g. {@code 3.12.*}, besides those the
 *     spec declares
 */
public record VersionsPolicy(String scheme, String pattern, List<String> maintenanceLines) {
  public List<String> lines() {
    return maintenanceLines == null ? List.of() : maintenanceLines;
  }
}
