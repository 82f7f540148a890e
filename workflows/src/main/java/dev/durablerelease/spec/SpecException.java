package dev.durablerelease.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A release spec that cannot be used, with every problem found in it (not just the first). */
public class SpecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String origin;
  private final transient List<SpecError> errors;

  public SpecException(String origin, List<SpecError> errors) {
    super(format(origin, errors));
    this.origin = origin;
    this.errors = List.copyOf(errors);
  }

  public String origin() {
    return origin;
  }

  public List<SpecError> errors() {
    return errors;
  }

  private static String format(String origin, List<SpecError> errors) {
    return errors.stream()
        .map(e -> origin + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.field() + ": " + e.message())
        .collect(Collectors.joining("\n", "invalid release spec " + origin + "\n", ""));
  }
}
