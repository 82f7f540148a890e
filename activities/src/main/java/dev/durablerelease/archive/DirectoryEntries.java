package dev.durablerelease.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Lists a folder on disk (e.g. built documentation) as archive entries; ownership and times are not carried over. */
public final class DirectoryEntries {
  private DirectoryEntries() {}

  public static List<ArchiveEntry> list(Path folder, String topFolder) throws IOException {
    List<ArchiveEntry> entries = new ArrayList<>();
    entries.add(ArchiveEntry.directory(topFolder));
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(folder)) {
          continue;
        }
        String name = topFolder + "/" + folder.relativize(p).toString().replace('\\', '/');
        if (Files.isSymbolicLink(p)) {
          entries.add(new ArchiveEntry(name, ArchiveEntry.Type.SYMLINK, 0, Files.readSymbolicLink(p).toString(), null));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entries.add(ArchiveEntry.directory(name));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          ArchiveEntry.Type type = Files.isExecutable(p) ? ArchiveEntry.Type.EXECUTABLE : ArchiveEntry.Type.FILE;
          entries.add(new ArchiveEntry(name, type, Files.size(p), null, () -> Files.newInputStream(p)));
        }
      }
    }
    return ArchiveEntries.withDirectories(entries);
  }
}
