package dev.durablerelease.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in a spec: {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 2d}, or ISO-8601. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private Durations() {}

  /** Parses a duration, or returns empty when the text is not one. */
  public static Optional<Duration> tryParse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(trimmed));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher m = SHORT.matcher(trimmed);
    if (!m.matches() || trimmed.isEmpty()) {
      return Optional.empty();
    }
    Duration d = Duration.ZERO;
    d = d.plusDays(group(m, 1)).plusHours(group(m, 2)).plusMinutes(group(m, 3)).plusSeconds(group(m, 4));
    return Optional.of(d);
  }

  /** Parses a duration that validation has already accepted. */
  public static Duration parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a duration: " + text));
  }

  private static long group(Matcher m, int i) {
    return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
  }
}
