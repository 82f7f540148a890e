package dev.durablerelease.spec;

/**
 * What a release's version means under its scheme, parsed on a worker (the workflow holds no parser and only reads
 * this). Under {@code versionScheme: none} only {@link #version} and {@link #normalized} are known.
 *
 * @param scheme {@code semver}, {@code pep440}, {@code calver} or {@code none}
 * @param version the version as written, e.g. {@code 3.14.0RC1}
 * @param normalized its normal form under the scheme, e.g. {@code 3.14.0rc1} (PEP 440 normalisation)
 * @param level dev, alpha, beta, rc, final or post ({@link ReleaseLevel#id}); null when the scheme has none
 * @param prerelease whether the level is below final
 * @param major the first release number, as the normal form writes it; null without a scheme
 * @param minor the second (0 when a PEP 440 version leaves it out)
 * @param micro the third (0 when left out)
 * @param prereleaseLabel what marks it a pre-release, e.g. {@code rc1} or {@code rc.1}; empty for a final
 * @param series {@code major.minor}, e.g. {@code 3.14}: the maintenance line it belongs to
 */
public record VersionFacts(String scheme, String version, String normalized, String level, boolean prerelease,
    String major, String minor, String micro, String prereleaseLabel, String series) {

  public static final String NONE = "none";

  /** A version under {@code versionScheme: none}: text, with no meaning the engine knows. */
  public static VersionFacts unparsed(String version) {
    return new VersionFacts(NONE, version, version, null, false, null, null, null, null, null);
  }

  /** The level, or null when the scheme has none. */
  public ReleaseLevel releaseLevel() {
    return level == null ? null : ReleaseLevel.byId(level);
  }

  /** How a checklist line names it: {@code 3.14.0rc1 (rc)}. */
  public String describe() {
    return normalized + (level == null ? "" : " (" + level + ")");
  }
}
