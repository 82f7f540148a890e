package dev.durablerelease.spec;

/**
 * The names a release's archives are published under, as the spec decides them: one place for the spec's check that
 * they are unique and for the stages that write them. The files derived from an archive (its SBOMs and bundle) add a
 * suffix of their own kind, so they are unique when the archives are.
 */
public final class ArtifactNames {
  private ArtifactNames() {}

  /** {@code hello-2.1.0.tar.gz} */
  public static String sourceArchive(String sourceName, String format) {
    return sourceName + "." + format;
  }

  /** What docs archive names start with: {@code hello-2.1.0-docs}. */
  public static String docsPrefix(String sourceName) {
    return sourceName + "-docs";
  }

  /**
   * A docs output folder's archive name without its format, after the folder's last name: {@code hello-2.1.0-docs-html}
   * for {@code doc/_build/html}; the top folder's name for the top folder itself ({@code .}).
   */
  public static String docsArchiveBase(String docsPrefix, String topFolder, String output) {
    // the spec allows no ".." in an output
    String last = topFolder;
    for (String segment : output.split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        last = segment;
      }
    }
    return docsPrefix + "-" + last;
  }
}
