package dev.durablerelease.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists a folder on disk (e.g. built documentation) as archive entries; ownership and times are not carried over. What
 * a command wrote there is not trusted: a link whose final target leaves the folder or is absolute, a hard link (a
 * second name of a file that may live elsewhere) and a special file (fifo, socket, device) are refused by name, so the
 * archive never carries a way to the host's files.
 */
public final class DirectoryEntries {
  private DirectoryEntries() {}

  /** An entry the folder may not hold; the message names its path under the folder. */
  public static final class RefusedEntryException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedEntryException(String message) {
      super(message);
    }
  }

  public static List<ArchiveEntry> list(Path folder, String topFolder) throws IOException {
    List<ArchiveEntry> entries = new ArrayList<>();
    entries.add(ArchiveEntry.directory(topFolder));
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(folder)) {
          continue;
        }
        String relative = folder.relativize(p).toString().replace('\\', '/');
        String name = topFolder + "/" + relative;
        BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
          entries.add(new ArchiveEntry(name, ArchiveEntry.Type.SYMLINK, 0, Files.readSymbolicLink(p).toString(), null));
        } else if (attributes.isDirectory()) {
          entries.add(ArchiveEntry.directory(name));
        } else if (attributes.isRegularFile()) {
          int links = (Integer) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
          if (links > 1) {
            throw new RefusedEntryException(relative + " is a hard link (one of " + links + " names of the same"
                + " file, which may lie outside the folder)");
          }
          ArchiveEntry.Type type = Files.isExecutable(p) ? ArchiveEntry.Type.EXECUTABLE : ArchiveEntry.Type.FILE;
          entries.add(new ArchiveEntry(name, type, attributes.size(), null, () -> Files.newInputStream(p)));
        } else {
          throw new RefusedEntryException(relative + " is a " + specialKind(p) + ", not a file, folder or link");
        }
      }
    }
    ArchiveLinks.Escape escape = ArchiveLinks.firstEscape(entries, topFolder + "/").orElse(null);
    if (escape != null) {
      throw new RefusedEntryException(escape.describe() + ", outside the folder");
    }
    return ArchiveEntries.withDirectories(entries);
  }

  private static String specialKind(Path p) throws IOException {
    int type = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
    return switch (type) {
      case 0010000 -> "fifo";
      case 0140000 -> "socket";
      case 0020000 -> "character device";
      case 0060000 -> "block device";
      default -> "special file (mode " + Integer.toOctalString(type) + ")";
    };
  }
}
