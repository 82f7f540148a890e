package dev.durablerelease.config;

/**
 * One problem in a release spec or an operator policy.
 *
 * @param field the field in dotted form, e.g. {@code test.timeout} or {@code targets.downloads.url}
 * @param line the 1-based line in the file, or 0 when the document did not come from a file
 * @param message what is wrong and how to fix it
 */
public record ConfigError(String field, int line, String message) {

  @Override
  public String toString() {
    String where = line > 0 ? "line " + line + ": " : "";
    return where + field + ": " + message;
  }
}
