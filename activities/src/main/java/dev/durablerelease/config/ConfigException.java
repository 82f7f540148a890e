package dev.durablerelease.config;

import java.util.List;
import java.util.stream.Collectors;

/** A release spec or an operator policy that cannot be used, with every problem found in it (not just the first). */
public class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String origin;
  private final transient List<ConfigError> errors;

  /**
   * @param kind what the document is, e.g. {@code release spec} or {@code operator policy}
   * @param origin where it came from, e.g. its file name
   */
  public ConfigException(String kind, String origin, List<ConfigError> errors) {
    super(format(kind, origin, errors));
    this.origin = origin;
    this.errors = List.copyOf(errors);
  }

  public String origin() {
    return origin;
  }

  public List<ConfigError> errors() {
    return errors;
  }

  private static String format(String kind, String origin, List<ConfigError> errors) {
    return errors.stream()
        .map(e -> origin + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.field() + ": " + e.message())
        .collect(Collectors.joining("\n", "invalid " + kind + " " + origin + "\n", ""));
  }
}
