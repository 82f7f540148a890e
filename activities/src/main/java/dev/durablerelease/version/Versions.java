package dev.durablerelease.version;

import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.spec.Versioning;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The version schemes a release may declare ({@code versionScheme:}): semver (SemVer 2.0.0), pep440 (PEP 440),
 * calver (calver.org, with a declared {@code versionPattern}) and none (a version is text: no order, no levels).
 */
public final class Versions {
  public static final String NONE = VersionFacts.NONE;
  public static final List<String> SCHEMES =
      List.of(SemanticVersion.SCHEME, Pep440Version.SCHEME, CalendarVersion.SCHEME, NONE);

  /** A maintenance line: release numbers and {@code .*}, e.g. {@code 3.12.*}. */
  private static final Pattern LINE = Pattern.compile("[0-9]+(\\.[0-9]+)*\\.\\*");

  private Versions() {}

  /** Parses a version under a scheme other than none; the exception names the scheme's rule it breaks. */
  public static SchemeVersion parse(String scheme, String pattern, String text) throws InvalidVersionException {
    return switch (scheme) {
      case SemanticVersion.SCHEME -> SemanticVersion.parse(text);
      case Pep440Version.SCHEME -> Pep440Version.parse(text);
      case CalendarVersion.SCHEME -> CalendarVersion.parse(pattern, text);
      default -> throw new IllegalArgumentException("no order or levels under versionScheme " + scheme);
    };
  }

  /** What a version means under a scheme (none included). */
  public static VersionFacts facts(String scheme, String pattern, String text) throws InvalidVersionException {
    return scheme == null || scheme.equals(NONE) ? VersionFacts.unparsed(text) : parse(scheme, pattern, text).facts();
  }

  /** What a spec's version means under the spec's own scheme. */
  public static VersionFacts facts(ReleaseSpec spec) throws InvalidVersionException {
    Versioning versioning = spec.versioning();
    return facts(versioning.scheme(), versioning.pattern(), spec.version());
  }

  /** Null when the calver pattern is usable; otherwise what is wrong with it. */
  public static String calendarPatternProblem(String pattern) {
    return CalendarVersion.patternProblem(pattern);
  }

  public static boolean isMaintenanceLine(String line) {
    return line != null && LINE.matcher(line).matches();
  }
}
