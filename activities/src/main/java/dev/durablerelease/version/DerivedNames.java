package dev.durablerelease.version;

import dev.durablerelease.spec.VersionFacts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a release's templates may use ({@code tag}, {@code source.name}, the upload path, the policy's target
 * URLs): {@code {project}}, {@code {version}} and what the version's scheme derives from it.
 */
public final class DerivedNames {
  public static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

  /** The placeholders a version's scheme may derive; their names and what they hold are in docs/spec.md. */
  public static final java.util.List<String> FROM_VERSION =
      java.util.List.of("normalizedVersion", "major", "minor", "micro", "prerelease", "series");

  private DerivedNames() {}

  /** Every placeholder this release can expand, by name. */
  public static Map<String, String> of(String project, VersionFacts facts) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("project", project);
    values.put("version", facts.version());
    values.put("normalizedVersion", facts.normalized());
    putIfKnown(values, "major", facts.major());
    putIfKnown(values, "minor", facts.minor());
    putIfKnown(values, "micro", facts.micro());
    putIfKnown(values, "prerelease", facts.prereleaseLabel());
    putIfKnown(values, "series", facts.series());
    return values;
  }

  /** Why a known placeholder has no value for this release, or null when it has one or is not a known one. */
  public static String whyMissing(String name, VersionFacts facts) {
    if (!FROM_VERSION.contains(name)) {
      return null;
    }
    if (VersionFacts.NONE.equals(facts.scheme())) {
      return "{" + name + "} is derived from the version, which means nothing to the engine without a scheme; add"
          + " versionScheme: semver, pep440 or calver to release.yaml";
    }
    return "{" + name + "} has no value for " + facts.version() + " under " + facts.scheme()
        + " (its pattern has no such part)";
  }

  /** The template with every placeholder replaced; null when one has no value here (see {@link #whyMissing}). */
  public static String expand(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        return null;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The first placeholder of the template that has no value here, or null. */
  public static String firstMissing(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!values.containsKey(m.group(1))) {
        return m.group(1);
      }
    }
    return null;
  }

  private static void putIfKnown(Map<String, String> values, String name, String value) {
    if (value != null) {
      values.put(name, value);
    }
  }
}
