package dev.durablerelease.policy;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.spec.ReleaseLevel;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.spec.Versioning;
import dev.durablerelease.version.InvalidVersionException;
import dev.durablerelease.version.SchemeVersion;
import dev.durablerelease.version.Versions;
import java.util.ArrayList;
import java.util.List;

/**
 * A release's version as the sign and upload workers read it for the operator's gates: parsed here, never taken from
 * the workflow, under the scheme the project's {@code versions:} pins (a spec naming another is refused), else the
 * spec's.
 */
public final class PolicyVersions {
  private PolicyVersions() {}

  /**
   * @param facts what the version means
   * @param parsed the version in its scheme's order; null under none (no order)
   * @param maintenanceLines the lines the spec and the policy declare
   */
  public record ReadVersion(VersionFacts facts, SchemeVersion parsed, List<String> maintenanceLines,
      String scheme, String pattern) {

    /** Parses another version of the same project (one already published) the same way; null when it cannot be. */
    public SchemeVersion sameScheme(String version) {
      try {
        return parsed == null ? null : Versions.parse(scheme, pattern, version);
      } catch (InvalidVersionException e) {
        return null;
      }
    }
  }

  public static ReadVersion read(Policy policy, String project, String version, Versioning asked) {
    Versioning spec = Versioning.orNone(asked);
    VersionsPolicy pinned = policy.project(project).versions();
    String scheme = spec.scheme();
    String pattern = spec.pattern();
    List<String> lines = new ArrayList<>(spec.maintenanceLines());
    if (pinned != null) {
      if (pinned.scheme() != null && !pinned.scheme().equals(scheme)) {
        throw new StageFailure(Failures.POLICY_REFUSED, policy.describe() + " reads versions of " + project + " as "
            + pinned.scheme() + " (projects: " + project + ": versions: scheme:) but release.yaml says versionScheme: "
            + scheme + "; write versionScheme: " + pinned.scheme() + " there");
      }
      if (pinned.scheme() != null) {
        pattern = pinned.pattern();
      }
      lines.addAll(pinned.lines());
    }
    try {
      SchemeVersion parsed = VersionFacts.NONE.equals(scheme) ? null : Versions.parse(scheme, pattern, version);
      return new ReadVersion(parsed == null ? VersionFacts.unparsed(version) : parsed.facts(), parsed,
          List.copyOf(lines), scheme, pattern);
    } catch (InvalidVersionException e) {
      throw new StageFailure(Failures.INVALID_SPEC, e.getMessage());
    }
  }

  /**
   * The version as the approval gate reads it: under the scheme the policy pins (required by {@code approval: when:}),
   * whatever the spec says; without a pin its level is unknown and every gate applies.
   */
  public static VersionFacts forApproval(Policy policy, String project, String version) {
    VersionsPolicy pinned = policy.project(project).versions();
    if (pinned == null || pinned.scheme() == null) {
      return VersionFacts.unparsed(version);
    }
    try {
      return Versions.facts(pinned.scheme(), pinned.pattern(), version);
    } catch (InvalidVersionException e) {
      throw new StageFailure(Failures.POLICY_REFUSED, e.getMessage() + "; " + policy.describe() + " reads versions of "
          + project + " as " + pinned.scheme());
    }
  }

  /**
   * Why a gate for some release levels does not take this version, or null when it does. A version whose level is
   * unknown (no scheme) passes a gate only when the gate takes every level.
   */
  public static String outside(List<String> levels, VersionFacts facts, String what) {
    if (levels.isEmpty() || facts.level() != null && levels.contains(facts.level())) {
      return null;
    }
    return what + " " + String.join(", ", levels) + " only; " + (facts.level() == null
        ? facts.version() + " has no release level without a versionScheme"
        : facts.normalized() + " is " + facts.level() + (ReleaseLevel.byId(facts.level()).isPreRelease()
            ? " (a pre-release)" : ""));
  }
}
