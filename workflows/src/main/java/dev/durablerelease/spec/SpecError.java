package dev.durablerelease.spec;

/**
 * One problem in a release spec.
 *
 * @param field the field in dotted form, e.g. {@code test.timeout} or {@code upload[0].url}
 * @param line the 1-based line in the spec file, or 0 when the spec did not come from a file
 * @param message what is wrong and how to fix it
 */
public record SpecError(String field, int line, String message) {

  @Override
  public String toString() {
    String where = line > 0 ? "line " + line + ": " : "";
    return where + field + ": " + message;
  }
}
