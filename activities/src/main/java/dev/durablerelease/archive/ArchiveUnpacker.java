package dev.durablerelease.archive;

import dev.durablerelease.activities.StageFailure;
import dev.durablerelease.activity.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Unpacks a release tarball into a folder, refusing any entry that would land outside it. */
public final class ArchiveUnpacker {
  private ArchiveUnpacker() {}

  public static void unpackTarGz(InputStream archive, Path destination) throws IOException {
    Path root = destination.toAbsolutePath().normalize();
    Files.createDirectories(root);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(archive), "UTF-8")) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root) || entry.getName().startsWith("/")) {
          throw new StageFailure(Failures.BAD_TREE, "archive entry " + entry.getName() + " points outside the folder");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          // a symlink unpacked earlier must not carry a later file out of the folder
          if (!target.getParent().toRealPath().startsWith(root.toRealPath())) {
            throw new StageFailure(Failures.BAD_TREE, "archive entry " + entry.getName() + " goes through a symlink"
                + " that points outside the folder");
          }
          Files.copy(tar, target);
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
  }
}
