package dev.durablerelease.archive;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Unpacks a release archive into a folder, refusing any entry that would land outside it. */
public final class ArchiveUnpacker {
  private static final byte[] GZIP = {0x1f, (byte) 0x8b};
  private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
  private static final byte[] ZIP = {'P', 'K', 3, 4};

  private ArchiveUnpacker() {}

  /** Unpacks a {@code .tar.gz}, {@code .tar.xz} (concatenated streams too) or {@code .zip}, told apart by its bytes. */
  public static void unpack(InputStream archive, Path destination) throws IOException {
    Path root = destination.toAbsolutePath().normalize();
    Files.createDirectories(root);
    InputStream in = new BufferedInputStream(archive);
    in.mark(8);
    byte[] magic = in.readNBytes(6);
    in.reset();
    if (startsWith(magic, ZIP)) {
      unpackZip(in, root);
      return;
    }
    InputStream tarStream;
    if (startsWith(magic, GZIP)) {
      tarStream = new GzipCompressorInputStream(in, true);
    } else if (startsWith(magic, XZ)) {
      tarStream = new XZCompressorInputStream(in, true);
    } else {
      throw new StageFailure(Failures.BAD_TREE, "the archive is neither .tar.gz, .tar.xz nor .zip");
    }
    try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream, "UTF-8")) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        // symlinks first: Commons Compress also calls them files
        Kind kind = entry.isDirectory() ? Kind.DIRECTORY : entry.isSymbolicLink() ? Kind.SYMLINK
            : entry.isFile() ? Kind.FILE : null;
        if (kind != null) {
          write(root, entry.getName(), kind, entry.getLinkName(), entry.getMode(), tar);
        }
      }
    }
  }

  /** Modes and symlinks live in the zip's central directory, at its end: the zip is read from a file. */
  private static void unpackZip(InputStream in, Path root) throws IOException {
    Path file = Files.createTempFile(root.getParent(), "archive", ".zip");
    try {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
        for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
          Kind kind = entry.isDirectory() ? Kind.DIRECTORY : entry.isUnixSymlink() ? Kind.SYMLINK : Kind.FILE;
          try (InputStream content = zip.getInputStream(entry)) {
            String link = kind == Kind.SYMLINK ? new String(content.readAllBytes(), StandardCharsets.UTF_8) : null;
            write(root, entry.getName(), kind, link, entry.getUnixMode(), content);
          }
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private enum Kind {
    DIRECTORY,
    SYMLINK,
    FILE
  }

  private static void write(Path root, String name, Kind kind, String link, int mode, InputStream content)
      throws IOException {
    Path target = root.resolve(name).normalize();
    if (!target.startsWith(root) || name.startsWith("/")) {
      throw new StageFailure(Failures.BAD_TREE, "archive entry " + name + " points outside the folder");
    }
    switch (kind) {
      case DIRECTORY -> Files.createDirectories(target);
      case SYMLINK -> {
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(target, Path.of(link));
      }
      case FILE -> {
        Files.createDirectories(target.getParent());
        // a symlink unpacked earlier must not carry a later file out of the folder
        if (!target.getParent().toRealPath().startsWith(root.toRealPath())) {
          throw new StageFailure(Failures.BAD_TREE, "archive entry " + name + " goes through a symlink"
              + " that points outside the folder");
        }
        Files.copy(content, target);
        boolean executable = (mode & 0100) != 0;
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
