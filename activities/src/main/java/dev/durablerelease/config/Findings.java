package dev.durablerelease.config;

import dev.durablerelease.spec.Durations;
import dev.durablerelease.spec.ReleaseLevel;
import dev.durablerelease.spec.SourceSpec;
import dev.durablerelease.version.DerivedNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The problems found in one document, each with its field and line, and the checks the document's sections share
 * (durations, sizes, formats, placeholders), so that every section says the same thing the same way.
 */
public final class Findings {
  /** The longest time limit anything may have. */
  static final Duration MAX_DURATION = Duration.ofDays(30);

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

  private final Map<String, Integer> lines;
  private final List<ConfigError> errors = new ArrayList<>();
  private Map<String, String> placeholders = Map.of();
  private Function<String, String> whyMissing = name -> null;

  /** @param lines the line of every key by JSON pointer (empty for a document that was not a file) */
  public Findings(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** The values of {@code {name}} placeholders, once they are known. */
  void placeholders(Map<String, String> values) {
    placeholders(values, name -> null);
  }

  /** The values of placeholders, and why a known one has none for this document (null: it is unknown). */
  void placeholders(Map<String, String> values, Function<String, String> whyMissing) {
    placeholders = values;
    this.whyMissing = whyMissing;
  }

  /** Records a problem at a JSON pointer, e.g. {@code /test/timeout}. */
  public void error(String pointer, String message) {
    errors.add(new ConfigError(dotted(pointer), lineOf(pointer), message));
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  int count() {
    return errors.size();
  }

  /** Every problem, by line. */
  public List<ConfigError> sorted() {
    List<ConfigError> copy = new ArrayList<>(errors);
    copy.sort(Comparator.comparingInt(ConfigError::line).thenComparing(ConfigError::field));
    return copy;
  }

  /** Expands {@code {project}}-style placeholders; an unknown one is a problem. */
  String expand(String text, String at) {
    if (text == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = placeholders.get(m.group(1));
      if (value == null) {
        String why = whyMissing.apply(m.group(1));
        error(at, why != null ? why : "unknown placeholder {" + m.group(1) + "}; known: "
            + String.join(", ", Stream.concat(placeholders.keySet().stream(), DerivedNames.FROM_VERSION.stream())
                .distinct().sorted().map(k -> "{" + k + "}").toList()));
        value = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** A duration such as 90s, 30m or 2h, in (0, 30d]; the default when none is given. */
  String duration(String value, String at, String defaultValue) {
    String given = value == null ? defaultValue : value;
    Duration d = Durations.tryParse(given).orElse(null);
    if (d == null) {
      error(at, "\"" + given + "\" is not a duration; write e.g. 90s, 30m, 2h or 1h30m");
    } else if (d.isZero() || d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
      error(at, "\"" + given + "\" is out of range; use more than 0s and at most 30d");
    }
    return given;
  }

  /** A size such as 8GiB or 500MiB, when given. */
  void size(String value, String at, String example) {
    if (value != null && SourceSpec.parseSize(value) <= 0) {
      error(at, "\"" + value + "\" is not a size; write e.g. " + example + ", 500MiB or a number of bytes");
    }
  }

  /** A value that must be present and match a pattern. */
  String required(String value, String at, Pattern pattern, String allowed) {
    if (value == null || value.isBlank()) {
      error(at, "missing");
    } else if (!pattern.matcher(value).matches()) {
      error(at, "\"" + value + "\" is not allowed; use " + allowed);
    }
    return value;
  }

  /** A list of formats out of the known ones, each once; the defaults when none is given. */
  List<String> formats(List<String> given, List<String> defaults, List<String> known, String at) {
    if (given == null) {
      return defaults;
    }
    if (given.isEmpty()) {
      error(at, "empty; leave it out for the default " + defaults + " or list some of " + known);
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      String format = given.get(i);
      if (!known.contains(format)) {
        error(at + "/" + i, "unknown format \"" + format + "\"; supported: " + String.join(", ", known));
      } else if (result.contains(format)) {
        error(at + "/" + i, "\"" + format + "\" is listed twice");
      } else {
        result.add(format);
      }
    }
    return result;
  }

  /** Release levels ({@code when:}, {@code releases:}), each once. */
  void levels(List<String> levels, String at) {
    for (int i = 0; i < levels.size(); i++) {
      if (ReleaseLevel.byId(levels.get(i)) == null) {
        error(at + "/" + i, "unknown release level \"" + levels.get(i) + "\"; use some of "
            + String.join(", ", ReleaseLevel.ids()));
      } else if (levels.subList(0, i).contains(levels.get(i))) {
        error(at + "/" + i, "\"" + levels.get(i) + "\" is listed twice");
      }
    }
  }

  private int lineOf(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return 0;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /** {@code /upload/0/target} becomes {@code upload[0].target}. */
  static String dotted(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(part);
      }
    }
    return sb.length() == 0 ? "(file)" : sb.toString();
  }
}
