package dev.durablerelease.archive;

import java.io.IOException;
import java.io.InputStream;

/**
 * One entry of a release archive, already normalised: its path inside the archive (with the top folder, directories
 * ending in {@code /}), its kind, and how to read its content. Owners, times and modes are decided by the writer.
 *
 * @param path path inside the archive, e.g. {@code hello-2.1.0/src/main.c}
 * @param type what the entry is
 * @param size content length of a file; 0 for the rest
 * @param linkTarget target of a symlink, else null
 * @param content opens a file's content; null for the rest
 */
public record ArchiveEntry(String path, Type type, long size, String linkTarget, Content content) {

  /** What an entry is; decides its mode (0644, 0755, 0755, 0777). */
  public enum Type {
    FILE,
    EXECUTABLE,
    DIRECTORY,
    SYMLINK
  }

  /** Opens an entry's content for reading. */
  @FunctionalInterface
  public interface Content {
    InputStream open() throws IOException;
  }

  public static ArchiveEntry directory(String path) {
    return new ArchiveEntry(path.endsWith("/") ? path : path + "/", Type.DIRECTORY, 0, null, null);
  }

  public boolean isRegularFile() {
    return type == Type.FILE || type == Type.EXECUTABLE;
  }

  /** Unix permission bits written into the archive. */
  public int mode() {
    return switch (type) {
      case FILE -> 0644;
      case EXECUTABLE, DIRECTORY -> 0755;
      case SYMLINK -> 0777;
    };
  }
}
