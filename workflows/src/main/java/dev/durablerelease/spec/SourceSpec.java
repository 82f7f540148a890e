package dev.durablerelease.spec;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the source archives are made.
 *
 * @param name archive base name and the single top folder inside it, e.g. {@code hello-2.1.0}
 * @param formats archive formats: {@code tar.gz}, {@code tar.xz}, {@code zip}
 * @param exclude git-style globs of paths left out of the archives; after loading it also holds {@link
 *     #DEFAULT_EXCLUDE} unless {@code defaultExclude} is false
 * @param defaultExclude whether the version-control and CI files CPython leaves out are left out too (default true)
 * @param submodules {@code error} (default: a submodule stops the build) or {@code include} (archived at the commit
 *     the tree records)
 * @param maxFileSize largest file allowed in an archive, e.g. {@code 2GiB} (the default), {@code 500MiB} or bytes
 */
public record SourceSpec(
    String name,
    List<String> formats,
    List<String> exclude,
    Boolean defaultExclude,
    String submodules,
    String maxFileSize) {

  /** What CPython's export removes: version-control files and CI folders. */
  public static final List<String> DEFAULT_EXCLUDE = List.of(".git*", ".github/", ".azure-pipelines/");
  public static final String SUBMODULES_ERROR = "error";
  public static final String SUBMODULES_INCLUDE = "include";
  public static final String DEFAULT_MAX_FILE_SIZE = "2GiB";

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*([KMGT]i?B|B)?");

  public boolean includeSubmodules() {
    return SUBMODULES_INCLUDE.equals(submodules);
  }

  /** {@link #maxFileSize} in bytes. */
  public long maxFileSizeBytes() {
    return parseSize(maxFileSize == null ? DEFAULT_MAX_FILE_SIZE : maxFileSize);
  }

  /** Parses {@code 123}, {@code 10KiB}, {@code 500MB}, {@code 2GiB}; -1 when it is not a size. */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return -1;
    }
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    int shift = switch (unit.charAt(0)) {
      case 'K' -> 10;
      case 'M' -> 20;
      case 'G' -> 30;
      case 'T' -> 40;
      default -> 0;
    };
    long base = unit.contains("I") || shift == 0 ? 1L << shift : pow1000(shift / 10);
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), base);
    } catch (ArithmeticException | NumberFormatException e) {
      return -1;
    }
  }

  private static long pow1000(int n) {
    long v = 1;
    for (int i = 0; i < n; i++) {
      v *= 1000;
    }
    return v;
  }
}
