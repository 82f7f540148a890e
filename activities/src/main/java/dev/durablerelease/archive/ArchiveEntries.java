package dev.durablerelease.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** Puts entries in archive order and adds the directory entries their paths imply. */
public final class ArchiveEntries {
  /**
   * Byte order of the UTF-8 paths, directories with their trailing slash: the order git keeps trees in, and so the
   * order of {@code git archive}; it does not depend on the locale or file system.
   */
  public static final Comparator<String> PATH_ORDER = (a, b) ->
      Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private ArchiveEntries() {}

  /** The entries plus every parent directory (the top folder included), sorted by {@link #PATH_ORDER}. */
  public static List<ArchiveEntry> withDirectories(List<ArchiveEntry> entries) {
    TreeSet<String> directories = new TreeSet<>();
    for (ArchiveEntry entry : entries) {
      if (entry.type() == ArchiveEntry.Type.DIRECTORY) {
        directories.add(entry.path());
      }
    }
    List<ArchiveEntry> all = new ArrayList<>(entries);
    for (ArchiveEntry entry : entries) {
      String path = entry.path().endsWith("/") ? entry.path().substring(0, entry.path().length() - 1) : entry.path();
      for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
        String dir = path.substring(0, i + 1);
        if (directories.add(dir)) {
          all.add(ArchiveEntry.directory(dir));
        }
      }
    }
    all.sort(Comparator.comparing(ArchiveEntry::path, PATH_ORDER));
    return all;
  }
}
