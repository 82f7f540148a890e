package dev.durablerelease.archive;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows an archive's symlinks the way a file system will once it is unpacked: through the archive's own entries,
 * so that links to links and links through linked folders count (with {@code up -> .}, the target
 * {@code up/up/../../etc/passwd} climbs two levels, which a look at the target's text alone does not see). A path
 * the archive does not hold is taken as a plain folder, as it would be if it were made later.
 */
public final class ArchiveLinks {
  /** Linux gives up after 40 links in one lookup (ELOOP); so do we. */
  private static final int MAX_LINKS = 40;

  private ArchiveLinks() {}

  /**
   * A link whose final target is not inside the root.
   *
   * @param link the link's path under the root
   * @param target what the link says
   * @param leadsTo where it ends: a path that climbs above the root ({@code ../…}) or an absolute one; for a loop, the
   *     link where the lookup gave up
   * @param through the links followed on the way, as {@code path -> target}
   * @param loop whether the lookup went round in a loop instead
   */
  public record Escape(String link, String target, String leadsTo, Set<String> through, boolean loop) {

    /** {@code symlink esc points to up/../.., which leads to ../.. (through up -> .)}, for messages. */
    public String describe() {
      String via = through.isEmpty() ? "" : " (through " + String.join(", ", through) + ")";
      if (loop) {
        return "symlink " + link + " points to " + target + ", which goes round a loop of links" + via;
      }
      if (through.isEmpty() && target.equals(leadsTo)) {
        return "symlink " + link + " points to " + target;
      }
      return "symlink " + link + " points to " + target + ", which resolves to " + leadsTo + via;
    }
  }

  /**
   * The first link, in entry order, whose final target is absolute, above {@code root} or in a loop.
   *
   * @param root the folder every entry lies under, ending in {@code /} (e.g. {@code hello-2.1.0/})
   */
  public static Optional<Escape> firstEscape(List<ArchiveEntry> entries, String root) {
    Map<String, ArchiveEntry> byPath = new HashMap<>();
    for (ArchiveEntry entry : entries) {
      byPath.put(relative(entry.path(), root), entry);
    }
    for (ArchiveEntry entry : entries) {
      if (entry.type() == ArchiveEntry.Type.SYMLINK) {
        Optional<Escape> escape = follow(relative(entry.path(), root), entry.linkTarget(), byPath);
        if (escape.isPresent()) {
          return escape;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Escape> follow(String link, String target, Map<String, ArchiveEntry> byPath) {
    Set<String> through = new LinkedHashSet<>();
    if (target.startsWith("/")) {
      return Optional.of(new Escape(link, target, target, through, false));
    }
    Deque<String> position = new ArrayDeque<>(Arrays.asList(link.split("/")));
    position.removeLast();
    Deque<String> pending = new ArrayDeque<>(Arrays.asList(target.split("/")));
    int links = 1;
    while (!pending.isEmpty()) {
      String part = pending.removeFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (position.isEmpty()) {
          pending.addFirst("..");
          return Optional.of(new Escape(link, target, String.join("/", pending), through, false));
        }
        position.removeLast();
        continue;
      }
      position.addLast(part);
      ArchiveEntry entry = byPath.get(String.join("/", position));
      if (entry != null && entry.type() == ArchiveEntry.Type.SYMLINK) {
        String at = String.join("/", position);
        through.add(at + " -> " + entry.linkTarget());
        if (++links > MAX_LINKS) {
          return Optional.of(new Escape(link, target, at, through, true));
        }
        if (entry.linkTarget().startsWith("/")) {
          return Optional.of(new Escape(link, target, entry.linkTarget(), through, false));
        }
        position.removeLast();
        List<String> next = Arrays.asList(entry.linkTarget().split("/"));
        for (int i = next.size() - 1; i >= 0; i--) {
          pending.addFirst(next.get(i));
        }
      }
    }
    return Optional.empty();
  }

  /** An entry's path under the root, without the trailing {@code /} of a folder. */
  private static String relative(String path, String root) {
    String under = path.startsWith(root) ? path.substring(root.length()) : path;
    return under.endsWith("/") ? under.substring(0, under.length() - 1) : under;
  }
}
