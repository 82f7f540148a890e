package dev.durablerelease.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a byte-reproducible {@code .tar.gz}: the same entries and timestamp give the same bytes on every machine.
 * Every entry gets mtime = the commit time, uid/gid 0 with empty owner names, and a normalised mode; the gzip header
 * has no file name and mtime 0 ({@code gzip -n}); long or non-ASCII names use PAX headers.
 */
public final class TarGzWriter {
  private TarGzWriter() {}

  /** Writes the archive to {@code out} and closes it. */
  public static void write(List<ArchiveEntry> entries, long mtimeEpochSeconds, OutputStream out) throws IOException {
    GzipParameters gzip = new GzipParameters();
    gzip.setCompressionLevel(9);
    gzip.setModificationTime(0);
    gzip.setOperatingSystem(3); // Unix, as gzip -n writes on Linux
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out, gzip);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, "UTF-8")) {
      writeTar(entries, mtimeEpochSeconds, tar);
    }
  }

  static void writeTar(List<ArchiveEntry> entries, long mtimeEpochSeconds, TarArchiveOutputStream tar)
      throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    Instant mtime = Instant.ofEpochSecond(mtimeEpochSeconds);
    byte[] buffer = new byte[1 << 16];
    for (ArchiveEntry entry : entries) {
      TarArchiveEntry te = entry.type() == ArchiveEntry.Type.SYMLINK
          ? new TarArchiveEntry(entry.path(), TarConstants.LF_SYMLINK)
          : new TarArchiveEntry(entry.path());
      te.setModTime(java.nio.file.attribute.FileTime.from(mtime));
      te.setUserId(0);
      te.setGroupId(0);
      te.setUserName("");
      te.setGroupName("");
      te.setMode(typeBits(entry) | entry.mode());
      if (entry.type() == ArchiveEntry.Type.SYMLINK) {
        te.setLinkName(entry.linkTarget());
      }
      if (entry.isRegularFile()) {
        te.setSize(entry.size());
      }
      tar.putArchiveEntry(te);
      if (entry.isRegularFile()) {
        long copied = 0;
        try (InputStream in = entry.content().open()) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            tar.write(buffer, 0, n);
            copied += n;
          }
        }
        if (copied != entry.size()) {
          throw new IOException(entry.path() + " changed size while being archived: " + entry.size() + " -> " + copied);
        }
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
  }

  private static int typeBits(ArchiveEntry entry) {
    return switch (entry.type()) {
      case DIRECTORY -> TarArchiveEntry.DEFAULT_DIR_MODE & ~07777;
      case SYMLINK -> 0120000;
      default -> TarArchiveEntry.DEFAULT_FILE_MODE & ~07777;
    };
  }
}
