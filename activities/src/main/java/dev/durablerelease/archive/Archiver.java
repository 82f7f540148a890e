package dev.durablerelease.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the archives of a tree: {@link ArchiveWriter#write} in every release. An interface so that a test can give a
 * second builder one that writes other bytes, as a compromised builder would.
 */
@FunctionalInterface
public interface Archiver {
  /** Writes each format (by name, e.g. {@code tar.gz}) to its file; returns each regular file's digests. */
  List<FileDigest> write(List<ArchiveEntry> entries, long mtimeEpochSeconds, Map<String, Path> outputs)
      throws IOException;
}
