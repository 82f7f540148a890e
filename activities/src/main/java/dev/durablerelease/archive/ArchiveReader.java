package dev.durablerelease.archive;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Streams the entries of a release archive, one at a time, without unpacking it. */
public final class ArchiveReader {
  private ArchiveReader() {}

  /** Receives each regular file with a stream of its content (valid only during the call). */
  @FunctionalInterface
  public interface FileVisitor {
    void visit(String path, long size, InputStream content) throws IOException;
  }

  /** Visits the regular files of a {@code .tar.gz}, in archive order. */
  public static void forEachFile(String archiveName, InputStream archive, FileVisitor visitor) throws IOException {
    if (!archiveName.endsWith(".tar.gz") && !archiveName.endsWith(".tgz")) {
      throw new IOException("cannot read " + archiveName + ": only .tar.gz archives are supported");
    }
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(archive), "UTF-8")) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          visitor.visit(entry.getName(), entry.getSize(), tar);
        }
      }
      // drain to the end so that a verifying store stream checks the whole blob
      tar.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
