package dev.durablerelease.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Streams the regular files of a release archive ({@code .tar.gz}, {@code .tgz}, {@code .tar.xz}, {@code .zip}), one
 * at a time, without unpacking it. The format is chosen by the file name.
 */
public final class ArchiveReader {
  private static final int BUFFER = 1 << 16;

  private ArchiveReader() {}

  /** Receives each regular file with a stream of its content (valid only during the call). */
  @FunctionalInterface
  public interface FileVisitor {
    void visit(String path, long size, InputStream content) throws IOException;
  }

  /** Whether {@link #forEachFile} can read an archive of this name. */
  public static boolean canRead(String archiveName) {
    return archiveName.endsWith(".tar.gz") || archiveName.endsWith(".tgz") || archiveName.endsWith(".tar.xz")
        || archiveName.endsWith(".zip");
  }

  /** Visits the regular files (not directories or symlinks) of an archive, in archive order. */
  public static void forEachFile(String archiveName, InputStream archive, FileVisitor visitor) throws IOException {
    if (archiveName.endsWith(".tar.gz") || archiveName.endsWith(".tgz")) {
      readTar(new GzipCompressorInputStream(new BufferedInputStream(archive, BUFFER)), visitor);
    } else if (archiveName.endsWith(".tar.xz")) {
      // true: buildSource writes large tars as several concatenated .xz streams
      readTar(new XZCompressorInputStream(new BufferedInputStream(archive, BUFFER), true), visitor);
    } else if (archiveName.endsWith(".zip")) {
      readZip(archive, visitor);
    } else {
      throw new IOException("cannot read " + archiveName + ": supported archives are .tar.gz, .tgz, .tar.xz and .zip");
    }
  }

  private static void readTar(InputStream decompressed, FileVisitor visitor) throws IOException {
    // tar reads 512-byte records: buffered, so that each record is not a call into the decompressor
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(decompressed, BUFFER), "UTF-8")) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        // isFile() alone also holds for symlinks and hard links, which have no content of their own
        if (entry.isFile() && !entry.isSymbolicLink() && !entry.isLink()) {
          visitor.visit(entry.getName(), entry.getSize(), tar);
        }
      }
      // drain to the end so that a verifying store stream checks the whole blob
      tar.transferTo(OutputStream.nullOutputStream());
    }
  }

  /**
   * A zip says which entries are symlinks only in its central directory, at the end; so the archive is copied to a
   * temporary file (bounded disk, not memory) and read from its central directory.
   */
  private static void readZip(InputStream archive, FileVisitor visitor) throws IOException {
    Path tmp = Files.createTempFile("archive-", ".zip");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        archive.transferTo(out);
      }
      try (ZipFile zip = ZipFile.builder().setPath(tmp).get()) {
        Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
        while (entries.hasMoreElements()) {
          ZipArchiveEntry entry = entries.nextElement();
          if (!entry.isDirectory() && !entry.isUnixSymlink()) {
            try (InputStream in = zip.getInputStream(entry)) {
              visitor.visit(entry.getName(), entry.getSize(), in);
            }
          }
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
