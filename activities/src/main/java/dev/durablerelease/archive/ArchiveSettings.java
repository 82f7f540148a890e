package dev.durablerelease.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Everything besides the tree, the commit time and this engine's own code that decides the bytes of an archive: the
 * libraries that write them and the settings they are given. The provenance records both, so that a rebuild years
 * later can tell a library upgrade from a tampered file, and a test pins them with the digests they give.
 */
public final class ArchiveSettings {
  public static final String COMMONS_COMPRESS = "commons-compress";
  public static final String XZ_JAVA = "xz-java";
  public static final String ZLIB = "zlib";

  private static final Pattern LIBZ = Pattern.compile(".*/libz\\.so\\.([0-9][^/\\s]*)");
  private static final Pattern LEGAL_ZLIB = Pattern.compile("## zlib v?([0-9][^\\s]*).*");

  private ArchiveSettings() {}

  /** The versions of the libraries that write the bytes: Commons Compress (tar, zip), XZ for Java, the JDK's zlib. */
  public static Map<String, String> libraries() {
    Map<String, String> versions = new TreeMap<>();
    versions.put(COMMONS_COMPRESS, implementationVersion(TarArchiveOutputStream.class));
    versions.put(XZ_JAVA, implementationVersion(XZOutputStream.class));
    versions.put(ZLIB, zlibVersion());
    return versions;
  }

  /** The settings the archives are written with, by name; the same on every machine. */
  public static Map<String, String> compression() {
    Map<String, String> settings = new TreeMap<>();
    settings.put("tar.format", "posix: PAX headers for long and non-ASCII names only, uid/gid 0, no owner names");
    settings.put("gzip.level", String.valueOf(ArchiveWriter.GZIP_LEVEL));
    settings.put("gzip.blockSize", String.valueOf(ParallelGzipOutputStream.BLOCK));
    settings.put("gzip.dictionary", String.valueOf(ParallelGzipOutputStream.DICTIONARY));
    settings.put("xz.preset", String.valueOf(ArchiveWriter.XZ_PRESET));
    settings.put("xz.check", "crc64");
    try {
      settings.put("xz.chunkSize", String.valueOf(ParallelXzOutputStream.chunkSize(ArchiveWriter.XZ_PRESET)));
    } catch (IOException e) {
      throw new UncheckedIOException("XZ for Java has no preset " + ArchiveWriter.XZ_PRESET, e);
    }
    settings.put("xz.cutGranularity", String.valueOf(ParallelXzOutputStream.PIECE));
    settings.put("zip.level", String.valueOf(ArchiveWriter.ZIP_LEVEL));
    return settings;
  }

  private static String implementationVersion(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }

  /**
   * The zlib the JDK deflates with. Java has no call that says; on Linux the library the JVM mapped names it
   * ({@code libz.so.1.2.13}), and a JDK that builds zlib in names its version in its legal notices.
   */
  static String zlibVersion() {
    new Deflater().end(); // loads the JDK's zip library, and zlib with it
    Optional<String> mapped = mappedLibz();
    if (mapped.isPresent()) {
      return mapped.get();
    }
    Path notice = Path.of(System.getProperty("java.home"), "legal", "java.base", "zlib.md");
    try (Stream<String> lines = Files.lines(notice)) {
      return lines.map(LEGAL_ZLIB::matcher).filter(Matcher::matches).map(m -> m.group(1) + " (built into the JDK)")
          .findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Optional<String> mappedLibz() {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(maps)) {
      return lines.map(LIBZ::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
