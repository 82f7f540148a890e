package dev.durablerelease.version;

import dev.durablerelease.spec.ReleaseLevel;
import dev.durablerelease.spec.VersionFacts;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version (packaging.python.org, "Version specifiers"): epoch, release numbers, pre-, post- and
 * developmental releases and a local label, in any spelling the specification's normalisation rules accept, with its
 * normal form and the specification's order. No library on Maven Central parses PEP 440, so this follows the
 * specification's own regular expression (its Appendix B) and ordering rules; PepVersionsTest checks it against the
 * specification's examples.
 */
final class Pep440Version implements SchemeVersion {
  static final String SCHEME = "pep440";

  /** PEP 440, Appendix B, with its case- and whitespace-insensitivity. */
  private static final Pattern VERSION = Pattern.compile(
      "\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
          + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
          + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
          + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)"
          + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*",
      Pattern.CASE_INSENSITIVE);

  private static final Map<String, String> PRE_SPELLING = Map.of("alpha", "a", "a", "a", "beta", "b", "b", "b",
      "c", "rc", "pre", "rc", "preview", "rc", "rc", "rc");
  private static final List<String> PRE_ORDER = List.of("a", "b", "rc");

  private final String text;
  private final BigInteger epoch;
  private final List<BigInteger> release;
  /** a, b or rc; null for none. */
  private final String preLetter;
  private final BigInteger preNumber;
  private final BigInteger post;
  private final BigInteger dev;
  /** Normalised local segments ('.'-separated), or null. */
  private final String local;

  private Pep440Version(String text, Matcher m) {
    this.text = text;
    this.epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
    List<BigInteger> numbers = new ArrayList<>();
    for (String part : m.group("release").split("\\.")) {
      numbers.add(new BigInteger(part));
    }
    this.release = List.copyOf(numbers);
    this.preLetter = m.group("preL") == null ? null : PRE_SPELLING.get(m.group("preL").toLowerCase(Locale.ROOT));
    this.preNumber = number(m.group("preN"));
    String postNumber = m.group("postN1") != null ? m.group("postN1") : m.group("postN2");
    this.post = m.group("post") == null ? null : number(postNumber);
    this.dev = m.group("dev") == null ? null : number(m.group("devN"));
    this.local = m.group("local") == null ? null
        : m.group("local").toLowerCase(Locale.ROOT).replace('-', '.').replace('_', '.');
  }

  static Pep440Version parse(String text) throws InvalidVersionException {
    Matcher m = VERSION.matcher(text);
    if (!m.matches()) {
      throw new InvalidVersionException("\"" + text + "\" is not a PEP 440 version: write [N!]N(.N)*[{a|b|rc}N]"
          + "[.postN][.devN][+LOCAL], e.g. 3.14.0, 3.14.0rc1, 2.0.post1 or 1.0.dev3 (PEP 440, Version scheme)");
    }
    return new Pep440Version(text, m);
  }

  /** An omitted number is 0 (PEP 440: implicit pre-release, post-release and development numbers). */
  private static BigInteger number(String digits) {
    return digits == null ? BigInteger.ZERO : new BigInteger(digits);
  }

  /** The normal form, as PEP 440's normalisation rules write it. */
  String normalized() {
    StringBuilder sb = new StringBuilder();
    if (epoch.signum() != 0) {
      sb.append(epoch).append('!');
    }
    sb.append(String.join(".", release.stream().map(BigInteger::toString).toList()));
    sb.append(preReleaseLabel(true));
    if (local != null) {
      sb.append('+').append(local);
    }
    return sb.toString();
  }

  /** What follows the release numbers: {@code rc1}, {@code a1.dev2}, {@code .post1}; local label left out. */
  private String preReleaseLabel(boolean withPost) {
    StringBuilder sb = new StringBuilder();
    if (preLetter != null) {
      sb.append(preLetter).append(preNumber);
    }
    if (withPost && post != null) {
      sb.append(".post").append(post);
    }
    if (dev != null) {
      sb.append(".dev").append(dev);
    }
    return sb.toString();
  }

  /** A developmental release is below every other kind of its release; then pre-releases, final, post. */
  private ReleaseLevel level() {
    if (dev != null) {
      return ReleaseLevel.DEV;
    }
    if (preLetter != null) {
      return switch (preLetter) {
        case "a" -> ReleaseLevel.ALPHA;
        case "b" -> ReleaseLevel.BETA;
        default -> ReleaseLevel.RC;
      };
    }
    return post != null ? ReleaseLevel.POST : ReleaseLevel.FINAL;
  }

  @Override
  public VersionFacts facts() {
    ReleaseLevel level = level();
    String label = level.isPreRelease() ? stripDot(preReleaseLabel(false)) : "";
    return new VersionFacts(SCHEME, text, normalized(), level.id(), level.isPreRelease(), part(0), part(1), part(2),
        label, part(0) + "." + part(1));
  }

  private String part(int i) {
    return (i < release.size() ? release.get(i) : BigInteger.ZERO).toString();
  }

  private static String stripDot(String s) {
    return s.startsWith(".") ? s.substring(1) : s;
  }

  @Override
  public List<BigInteger> releaseNumbers() {
    return release;
  }

  /** PEP 440's order ("Summary of permitted suffixes and relative ordering"), as pypa/packaging keys it. */
  @Override
  public int compareTo(SchemeVersion o) {
    Pep440Version other = (Pep440Version) o;
    return ORDER.compare(this, other);
  }

  private static final Comparator<Pep440Version> ORDER = Comparator
      .comparing((Pep440Version v) -> v.epoch)
      .thenComparing(Pep440Version::compareRelease)
      .thenComparing(Pep440Version::compareSuffixes)
      .thenComparing(Pep440Version::compareLocal);

  private static int compareRelease(Pep440Version a, Pep440Version b) {
    // trailing zeros do not count: 1.0 == 1.0.0
    int n = Math.max(a.release.size(), b.release.size());
    for (int i = 0; i < n; i++) {
      BigInteger x = i < a.release.size() ? a.release.get(i) : BigInteger.ZERO;
      BigInteger y = i < b.release.size() ? b.release.get(i) : BigInteger.ZERO;
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int compareSuffixes(Pep440Version a, Pep440Version b) {
    int c = Integer.compare(a.preRank(), b.preRank());
    if (c == 0 && a.preLetter != null && b.preLetter != null) {
      c = a.preNumber.compareTo(b.preNumber);
    }
    if (c == 0) {
      // no post-release sorts before any post-release
      c = compareMissingFirst(a.post, b.post);
    }
    if (c == 0) {
      // no developmental release sorts after every developmental release
      c = compareMissingLast(a.dev, b.dev);
    }
    return c;
  }

  /**
   * Where the pre-release part puts a version: a developmental release of a final (1.0.dev1) before every
   * pre-release of it, then a, b, rc, then everything without a pre-release.
   */
  private int preRank() {
    if (preLetter == null) {
      return post == null && dev != null ? -1 : PRE_ORDER.size();
    }
    return PRE_ORDER.indexOf(preLetter);
  }

  private static int compareMissingFirst(BigInteger x, BigInteger y) {
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    return x.compareTo(y);
  }

  private static int compareMissingLast(BigInteger x, BigInteger y) {
    return x == null || y == null ? -compareMissingFirst(x, y) : x.compareTo(y);
  }

  /** No local label sorts first; then segment by segment, numbers above words, the longer above its prefix. */
  private static int compareLocal(Pep440Version a, Pep440Version b) {
    if (a.local == null || b.local == null) {
      return a.local == null ? (b.local == null ? 0 : -1) : 1;
    }
    String[] x = a.local.split("\\.");
    String[] y = b.local.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].chars().allMatch(Character::isDigit);
      boolean yn = y[i].chars().allMatch(Character::isDigit);
      int c = xn && yn ? new BigInteger(x[i]).compareTo(new BigInteger(y[i]))
          : xn != yn ? (xn ? 1 : -1) : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  @Override
  public String toString() {
    return text;
  }
}
