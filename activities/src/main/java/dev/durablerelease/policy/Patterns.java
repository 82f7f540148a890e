package dev.durablerelease.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The policy's URL and path patterns: exact text, or {@code *} for any characters within one path segment and
 * {@code **} for any characters at all. A trailing '/' is ignored on both sides.
 */
final class Patterns {
  private Patterns() {}

  static boolean matchesAny(List<String> patterns, String value) {
    return patterns.stream().anyMatch(p -> matches(p, value));
  }

  static boolean matches(String pattern, String value) {
    return compile(trimSlash(pattern)).matcher(trimSlash(value)).matches();
  }

  private static Pattern compile(String pattern) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      if (pattern.startsWith("**", i)) {
        regex.append(".*");
        i += 2;
      } else if (pattern.charAt(i) == '*') {
        regex.append("[^/]*");
        i++;
      } else {
        int next = nextStar(pattern, i);
        regex.append(Pattern.quote(pattern.substring(i, next)));
        i = next;
      }
    }
    return Pattern.compile(regex.toString());
  }

  private static int nextStar(String pattern, int from) {
    int star = pattern.indexOf('*', from);
    return star < 0 ? pattern.length() : star;
  }

  private static String trimSlash(String s) {
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
