package dev.durablerelease.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Writes a byte-reproducible {@code .tar.gz} (see {@link ArchiveWriter} for the normalisation). */
public final class TarGzWriter {
  private TarGzWriter() {}

  /** Writes the archive to {@code out} and closes it. */
  public static void write(List<ArchiveEntry> entries, long mtimeEpochSeconds, OutputStream out) throws IOException {
    ArchiveWriter.writeTarGz(entries, mtimeEpochSeconds, out);
  }
}
