package dev.durablerelease.version;

import dev.durablerelease.spec.ReleaseLevel;
import dev.durablerelease.spec.VersionFacts;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A calendar version (calver.org) in a declared pattern of the conventions' tokens joined by dots, e.g.
 * {@code YYYY.0M.MICRO} or {@code YY.0M}, with an optional modifier ({@code -rc1}, {@code .dev}, {@code -post2}).
 * Versions of one pattern order by their components, then modifier: dev, alpha, beta, rc, none (final), post.
 */
final class CalendarVersion implements SchemeVersion {
  static final String SCHEME = "calver";

  /** calver.org's tokens: how each is written and the values it may take. */
  private enum Token {
    YYYY("[1-9][0-9]{3}"),
    YY("0|[1-9][0-9]{0,2}"),
    ZERO_Y("[0-9]{2,3}"),
    MM("[1-9]|1[0-2]"),
    ZERO_M("0[1-9]|1[0-2]"),
    WW("[1-9]|[1-4][0-9]|5[0-3]"),
    ZERO_W("0[1-9]|[1-4][0-9]|5[0-3]"),
    DD("[1-9]|[12][0-9]|3[01]"),
    ZERO_D("0[1-9]|[12][0-9]|3[01]"),
    MAJOR("0|[1-9][0-9]*"),
    MINOR("0|[1-9][0-9]*"),
    MICRO("0|[1-9][0-9]*");

    final String regex;

    Token(String regex) {
      this.regex = regex;
    }

    String written() {
      return name().startsWith("ZERO_") ? "0" + name().substring(5) : name();
    }

    boolean isDate() {
      return ordinal() <= ZERO_D.ordinal();
    }

    static Token of(String written) {
      return Arrays.stream(values()).filter(t -> t.written().equals(written)).findFirst().orElse(null);
    }
  }

  private static final Pattern MODIFIER =
      Pattern.compile("(?:[-.]?(?<label>dev|alpha|a|beta|b|rc|c|post)[-.]?(?<number>[0-9]+)?)?");
  private static final Map<String, ReleaseLevel> LABELS = Map.of("dev", ReleaseLevel.DEV, "alpha",
      ReleaseLevel.ALPHA, "a", ReleaseLevel.ALPHA, "beta", ReleaseLevel.BETA, "b", ReleaseLevel.BETA, "rc",
      ReleaseLevel.RC, "c", ReleaseLevel.RC, "post", ReleaseLevel.POST);

  private final String text;
  private final List<String> components;
  private final ReleaseLevel level;
  private final BigInteger modifierNumber;
  private final String modifier;

  private CalendarVersion(String text, List<String> components, ReleaseLevel level, BigInteger modifierNumber,
      String modifier) {
    this.text = text;
    this.components = components;
    this.level = level;
    this.modifierNumber = modifierNumber;
    this.modifier = modifier;
  }

  /** Null when the pattern is one; otherwise what is wrong with it, naming the tokens. */
  static String patternProblem(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      return "missing; calver needs versionPattern: tokens of calver.org joined by dots, e.g. YYYY.0M.MICRO";
    }
    List<Token> tokens = new ArrayList<>();
    for (String part : pattern.split("\\.", -1)) {
      Token token = Token.of(part);
      if (token == null) {
        return "\"" + part + "\" in \"" + pattern + "\" is not a calver.org token; use YYYY, YY, 0Y, MM, 0M, WW,"
            + " 0W, DD, 0D, MAJOR, MINOR or MICRO joined by dots, e.g. YYYY.0M.MICRO";
      }
      if (tokens.contains(token)) {
        return "\"" + pattern + "\" names " + part + " twice";
      }
      tokens.add(token);
    }
    if (tokens.stream().noneMatch(Token::isDate)) {
      return "\"" + pattern + "\" has no date token (YYYY, YY, 0Y, MM, 0M, WW, 0W, DD or 0D): that is not calendar"
          + " versioning; use versionScheme: semver";
    }
    return null;
  }

  static CalendarVersion parse(String pattern, String text) throws InvalidVersionException {
    List<Token> tokens = Arrays.stream(pattern.split("\\.")).map(Token::of).toList();
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      regex.append(i == 0 ? "" : "\\.").append("(").append(tokens.get(i).regex).append(")");
    }
    Matcher m = Pattern.compile(regex + MODIFIER.pattern(), Pattern.CASE_INSENSITIVE).matcher(text);
    if (!m.matches()) {
      throw new InvalidVersionException("\"" + text + "\" does not follow the calendar pattern " + pattern
          + ": each dot-separated part as its calver.org token writes it (YYYY 2026, YY 26, 0Y 06, MM 1..12, 0M"
          + " 01..12, WW/0W weeks, DD/0D days, MAJOR/MINOR/MICRO numbers without leading zeros), optionally"
          + " followed by a modifier such as -rc1, -dev or -post1");
    }
    List<String> components = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      components.add(m.group(i + 1));
    }
    String label = m.group("label");
    ReleaseLevel level = label == null ? ReleaseLevel.FINAL : LABELS.get(label.toLowerCase(Locale.ROOT));
    BigInteger number = m.group("number") == null ? BigInteger.ZERO : new BigInteger(m.group("number"));
    String modifier = text.substring(m.start("label") < 0 ? text.length() : lengthOf(components));
    return new CalendarVersion(text, List.copyOf(components), level, number, modifier);
  }

  private static int lengthOf(List<String> components) {
    return String.join(".", components).length();
  }

  @Override
  public VersionFacts facts() {
    String label = level.isPreRelease() ? modifier.replaceFirst("^[-.]", "") : "";
    return new VersionFacts(SCHEME, text, text, level.id(), level.isPreRelease(), part(0), part(1), part(2), label,
        components.size() < 2 ? part(0) : part(0) + "." + part(1));
  }

  private String part(int i) {
    return i < components.size() ? components.get(i) : null;
  }

  @Override
  public List<BigInteger> releaseNumbers() {
    return components.stream().map(BigInteger::new).toList();
  }

  @Override
  public int compareTo(SchemeVersion o) {
    CalendarVersion other = (CalendarVersion) o;
    for (int i = 0; i < Math.min(components.size(), other.components.size()); i++) {
      int c = new BigInteger(components.get(i)).compareTo(new BigInteger(other.components.get(i)));
      if (c != 0) {
        return c;
      }
    }
    int c = level.compareTo(other.level);
    return c != 0 ? c : modifierNumber.compareTo(other.modifierNumber);
  }

  @Override
  public String toString() {
    return text;
  }
}
