package dev.durablerelease.archive;

import dev.durablerelease.store.Digests;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes byte-reproducible archives: the same entries and time give the same bytes on every machine, whatever its
 * umask, time zone or locale. Every entry gets mtime = the commit time (UTC), uid/gid 0 with empty owner names and a
 * normalised mode; PAX headers only for long or non-ASCII names (never atime/ctime); gzip headers carry no name and
 * mtime 0; zip entries carry the time as DOS fields in UTC and no extra fields.
 *
 * <p>All formats are written in one pass: each file's content is read once and fed to every archive (and, for
 * source archives, to SHA-1 and SHA-256, which the SBOMs need), and the compressed formats run on their own threads
 * ({@link ParallelGzipOutputStream}, {@link ParallelXzOutputStream}).
 */
public final class ArchiveWriter {
  public static final String TAR_GZ = "tar.gz";
  public static final String TAR_XZ = "tar.xz";
  public static final String ZIP = "zip";

  /** Like {@code gzip -9} and {@code xz -6}: CPython's and git archive's defaults. */
  static final int GZIP_LEVEL = 9;
  static final int XZ_PRESET = 6;
  static final int ZIP_LEVEL = Deflater.BEST_COMPRESSION;

  private ArchiveWriter() {}

  /**
   * Writes each format (tar.gz, tar.xz, zip) to its file and returns the digests of every regular file, in archive
   * order: hashed as the bytes pass, so that the SBOMs need not read the archives again.
   */
  public static List<FileDigest> write(List<ArchiveEntry> entries, long mtimeEpochSeconds, Map<String, Path> outputs)
      throws IOException {
    List<Sink> sinks = new ArrayList<>();
    try {
      for (Map.Entry<String, Path> output : outputs.entrySet()) {
        sinks.add(open(output.getKey(), output.getValue()));
      }
      List<FileDigest> digests = new ArrayList<>();
      copy(entries, mtimeEpochSeconds, sinks, digests);
      return digests;
    } finally {
      closeAll(sinks);
    }
  }

  private static Sink open(String format, Path file) throws IOException {
    return switch (format) {
      case TAR_GZ -> new TarSink(new ParallelGzipOutputStream(Files.newOutputStream(file), GZIP_LEVEL));
      case TAR_XZ -> new TarSink(new ParallelXzOutputStream(Files.newOutputStream(file), XZ_PRESET));
      case ZIP -> new ZipSink(file);
      default -> throw new IllegalArgumentException("unknown archive format " + format);
    };
  }

  /** Feeds every entry to every sink and adds each regular file's digests to {@code digests}. */
  private static void copy(List<ArchiveEntry> entries, long mtimeEpochSeconds, List<Sink> sinks,
      List<FileDigest> digests) throws IOException {
    byte[] buffer = new byte[1 << 16];
    MessageDigest sha1 = Digests.sha1();
    MessageDigest sha256 = Digests.sha256();
    for (ArchiveEntry entry : entries) {
      for (Sink sink : sinks) {
        sink.begin(entry, mtimeEpochSeconds);
      }
      if (entry.isRegularFile()) {
        long copied = 0;
        try (InputStream in = entry.content().open()) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            copied += n;
            if (copied > entry.size()) {
              break;
            }
            for (Sink sink : sinks) {
              sink.write(buffer, n);
            }
            sha1.update(buffer, 0, n);
            sha256.update(buffer, 0, n);
          }
        }
        if (copied != entry.size()) {
          throw new IOException(entry.path() + " changed size while being archived: " + entry.size() + " -> " + copied);
        }
        // digest() also resets them for the next file
        digests.add(new FileDigest(entry.path(), copied, Digests.hex(sha1.digest()), Digests.hex(sha256.digest())));
      }
      for (Sink sink : sinks) {
        sink.end();
      }
    }
    for (Sink sink : sinks) {
      sink.finish();
    }
  }

  private static void closeAll(List<Sink> sinks) throws IOException {
    IOException failure = null;
    for (Sink sink : sinks) {
      try {
        sink.close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** One archive being written. */
  private interface Sink extends Closeable {
    void begin(ArchiveEntry entry, long mtime) throws IOException;

    void write(byte[] buffer, int length) throws IOException;

    void end() throws IOException;

    void finish() throws IOException;
  }

  private static final class TarSink implements Sink {
    private final TarArchiveOutputStream tar;

    TarSink(OutputStream compressed) {
      tar = new TarArchiveOutputStream(compressed, "UTF-8");
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    @Override
    public void begin(ArchiveEntry entry, long mtime) throws IOException {
      TarArchiveEntry te = entry.type() == ArchiveEntry.Type.SYMLINK
          ? new TarArchiveEntry(entry.path(), TarConstants.LF_SYMLINK)
          : new TarArchiveEntry(entry.path());
      te.setModTime(FileTime.from(Instant.ofEpochSecond(mtime)));
      te.setUserId(0);
      te.setGroupId(0);
      te.setUserName("");
      te.setGroupName("");
      te.setMode(unixMode(entry));
      if (entry.type() == ArchiveEntry.Type.SYMLINK) {
        te.setLinkName(entry.linkTarget());
      }
      if (entry.isRegularFile()) {
        te.setSize(entry.size());
      }
      tar.putArchiveEntry(te);
    }

    @Override
    public void write(byte[] buffer, int length) throws IOException {
      tar.write(buffer, 0, length);
    }

    @Override
    public void end() throws IOException {
      tar.closeArchiveEntry();
    }

    @Override
    public void finish() throws IOException {
      tar.finish();
    }

    @Override
    public void close() throws IOException {
      tar.close();
    }
  }

  private static final class ZipSink implements Sink {
    private final ZipArchiveOutputStream zip;

    ZipSink(Path file) throws IOException {
      // a seekable file lets sizes and CRCs go in the local headers: no data descriptors
      zip = new ZipArchiveOutputStream(file);
      zip.setEncoding("UTF-8");
      zip.setUseLanguageEncodingFlag(true);
      zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
      zip.setUseZip64(Zip64Mode.AsNeeded);
      zip.setLevel(ZIP_LEVEL);
    }

    @Override
    public void begin(ArchiveEntry entry, long mtime) throws IOException {
      ZipArchiveEntry ze = new ZipArchiveEntry(entry.path());
      ze.setTime(dosTime(mtime));
      ze.setUnixMode(unixMode(entry));
      if (entry.isRegularFile()) {
        ze.setMethod(ZipArchiveEntry.DEFLATED);
        ze.setSize(entry.size()); // known sizes: no Zip64 extra field on ordinary entries
        zip.putArchiveEntry(ze);
      } else {
        // directories are empty and a symlink's content is its target, stored as Info-ZIP does
        byte[] content = entry.type() == ArchiveEntry.Type.SYMLINK
            ? entry.linkTarget().getBytes(StandardCharsets.UTF_8) : new byte[0];
        CRC32 crc = new CRC32();
        crc.update(content);
        ze.setMethod(ZipArchiveEntry.STORED);
        ze.setSize(content.length);
        ze.setCrc(crc.getValue());
        zip.putArchiveEntry(ze);
        zip.write(content);
      }
    }

    @Override
    public void write(byte[] buffer, int length) throws IOException {
      zip.write(buffer, 0, length);
    }

    @Override
    public void end() throws IOException {
      zip.closeArchiveEntry();
    }

    @Override
    public void finish() throws IOException {
      zip.finish();
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }

  /**
   * Zip keeps local date-time fields, which Commons Compress derives from an epoch time in the JVM's time zone; this
   * gives the epoch time whose local fields there are the commit's UTC fields, so the zip is the same in every zone.
   */
  private static long dosTime(long mtimeEpochSeconds) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(mtimeEpochSeconds, 0, ZoneOffset.UTC);
    return utc.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
  }

  private static int unixMode(ArchiveEntry entry) {
    int type = switch (entry.type()) {
      case DIRECTORY -> UnixStat.DIR_FLAG;
      case SYMLINK -> UnixStat.LINK_FLAG;
      default -> UnixStat.FILE_FLAG;
    };
    return type | entry.mode();
  }
}
