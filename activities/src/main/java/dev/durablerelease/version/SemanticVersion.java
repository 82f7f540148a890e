package dev.durablerelease.version;

import com.github.zafarkhaja.semver.Version;
import dev.durablerelease.spec.ReleaseLevel;
import dev.durablerelease.spec.VersionFacts;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A SemVer 2.0.0 version (semver.org), parsed strictly by java-semver and ordered by precedence. */
final class SemanticVersion implements SchemeVersion {
  static final String SCHEME = "semver";

  private static final Pattern ALPHA = Pattern.compile("(alpha|a)[0-9]*");
  private static final Pattern BETA = Pattern.compile("(beta|b)[0-9]*");
  private static final Pattern RC = Pattern.compile("(rc|c|cr|pre|preview)[0-9]*");

  private final Version version;
  private final VersionFacts facts;

  private SemanticVersion(String text, Version version) {
    this.version = version;
    String label = version.preReleaseVersion().orElse("");
    ReleaseLevel level = label.isEmpty() ? ReleaseLevel.FINAL : level(label);
    this.facts = new VersionFacts(SCHEME, text, version.toString(), level.id(), level.isPreRelease(),
        Long.toString(version.majorVersion()), Long.toString(version.minorVersion()),
        Long.toString(version.patchVersion()), label, version.majorVersion() + "." + version.minorVersion());
  }

  static SemanticVersion parse(String text) throws InvalidVersionException {
    return Version.tryParse(text).map(v -> new SemanticVersion(text, v)).orElseThrow(() ->
        new InvalidVersionException("\"" + text + "\" is not a SemVer 2.0.0 version: write MAJOR.MINOR.PATCH with"
            + " numbers without leading zeros, optionally followed by -PRERELEASE and +BUILD (dot-separated"
            + " identifiers of letters, digits and '-'), e.g. 2.1.0 or 2.1.0-rc.1 (semver.org, rules 2, 9 and 10)"));
  }

  /**
   * The level of a pre-release from its first identifier: {@code alpha}/{@code a}, {@code beta}/{@code b} and
   * {@code rc}/{@code c}/{@code cr}/{@code pre}/{@code preview} (each with an optional number); any other label
   * (SNAPSHOT, nightly, x.7) counts as dev, the lowest.
   */
  private static ReleaseLevel level(String label) {
    String first = label.split("\\.")[0].toLowerCase(Locale.ROOT);
    if (ALPHA.matcher(first).matches()) {
      return ReleaseLevel.ALPHA;
    }
    if (BETA.matcher(first).matches()) {
      return ReleaseLevel.BETA;
    }
    return RC.matcher(first).matches() ? ReleaseLevel.RC : ReleaseLevel.DEV;
  }

  @Override
  public VersionFacts facts() {
    return facts;
  }

  @Override
  public List<BigInteger> releaseNumbers() {
    return List.of(BigInteger.valueOf(version.majorVersion()), BigInteger.valueOf(version.minorVersion()),
        BigInteger.valueOf(version.patchVersion()));
  }

  /** SemVer precedence (rule 11): build metadata does not count. */
  @Override
  public int compareTo(SchemeVersion other) {
    return version.compareToIgnoreBuildMetadata(((SemanticVersion) other).version);
  }

  @Override
  public String toString() {
    return facts.version();
  }
}
