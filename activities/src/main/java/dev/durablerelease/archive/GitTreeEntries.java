package dev.durablerelease.archive;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.git.DeclaredSubmodules;
import dev.durablerelease.activity.Failures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Lists a commit's tree as archive entries: exactly what was committed, nothing from a working folder. A tree that
 * cannot be archived faithfully and safely stops here with a {@link Failures#BAD_TREE} error naming the path.
 */
public final class GitTreeEntries {
  private GitTreeEntries() {}

  /** Opens the repository of a submodule that holds {@code commit}; the caller closes it after writing. */
  @FunctionalInterface
  public interface Submodules {
    Repository open(String path, String url, ObjectId commit) throws IOException;
  }

  /**
   * What to leave out and what to refuse.
   *
   * @param exclude paths (relative to the repository root) to leave out
   * @param maxFileSize largest file allowed, in bytes
   * @param submodules where submodules come from; null when a submodule is an error
   */
  public record Rules(ExcludeRules exclude, long maxFileSize, Submodules submodules) {}

  /**
   * @param topFolder the single folder every path goes under, e.g. {@code hello-2.1.0}
   */
  public static List<ArchiveEntry> list(Repository repo, String commit, String topFolder, Rules rules)
      throws IOException {
    List<ArchiveEntry> entries = new ArrayList<>();
    entries.add(ArchiveEntry.directory(topFolder));
    try (RevWalk walk = new RevWalk(repo)) {
      walk(repo, walk.parseCommit(ObjectId.fromString(commit)), topFolder + "/", "", rules, entries);
    }
    // once every entry is known: a link may lead through others, submodules' included
    ArchiveLinks.firstEscape(entries, topFolder + "/").ifPresent(escape -> {
      throw badTree(escape.describe() + ", outside the source tree; unpacked, it would reach files of the machine."
          + " Make it relative and inside the tree, or exclude it");
    });
    return ArchiveEntries.withDirectories(entries);
  }

  private static void walk(Repository repo, RevCommit commit, String top, String base, Rules rules,
      List<ArchiveEntry> entries) throws IOException {
    try (TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(commit.getTree());
      tree.setRecursive(false);
      ObjectReader reader = tree.getObjectReader();
      while (tree.next()) {
        String path = base + checkedPath(tree, base);
        FileMode mode = tree.getFileMode(0);
        boolean directory = mode == FileMode.TREE || mode == FileMode.GITLINK;
        if (rules.exclude().excludes(path, directory)) {
          continue;
        }
        ObjectId id = tree.getObjectId(0);
        String name = top + path;
        if (mode == FileMode.TREE) {
          entries.add(ArchiveEntry.directory(name));
          tree.enterSubtree();
        } else if (mode == FileMode.GITLINK) {
          submodule(repo, commit, path, id, top, rules, entries);
        } else if (mode == FileMode.SYMLINK) {
          String target = decode(reader.open(id, Constants.OBJ_BLOB).getBytes())
              .orElseThrow(() -> badTree("symlink " + path + " has a target that is not valid UTF-8"));
          entries.add(new ArchiveEntry(name, ArchiveEntry.Type.SYMLINK, 0, target, null));
        } else {
          long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
          if (size > rules.maxFileSize()) {
            throw badTree(path + " is " + size + " bytes, more than source.maxFileSize (" + rules.maxFileSize()
                + " bytes); raise source.maxFileSize or exclude the file");
          }
          ArchiveEntry.Type type =
              mode == FileMode.EXECUTABLE_FILE ? ArchiveEntry.Type.EXECUTABLE : ArchiveEntry.Type.FILE;
          entries.add(new ArchiveEntry(name, type, size, null, () -> repo.open(id, Constants.OBJ_BLOB).openStream()));
        }
      }
    }
  }

  /** The entry's path inside its repository, refusing names no archive may carry. */
  private static String checkedPath(TreeWalk tree, String base) {
    byte[] raw = tree.getRawPath();
    AbstractTreeIterator entry = tree.getTree(0, AbstractTreeIterator.class);
    byte[] name = new byte[entry.getNameLength()];
    entry.getName(name, 0);
    String path = decode(raw).orElseThrow(() -> badTree("path " + base
        + new String(raw, StandardCharsets.ISO_8859_1) + " is not valid UTF-8 (name bytes "
        + HexFormat.of().formatHex(name) + "); rename it in a new commit"));
    String n = new String(name, StandardCharsets.UTF_8);
    if (n.isEmpty() || n.equals(".") || n.equals("..") || n.contains("/") || n.indexOf('\0') >= 0) {
      throw badTree("path " + base + path + " is absolute or has an empty, '.' or '..' segment; an archive entry"
          + " with it could land outside the release folder. Rewrite the tree without it");
    }
    return path;
  }

  private static void submodule(Repository repo, RevCommit commit, String path, ObjectId id, String top, Rules rules,
      List<ArchiveEntry> entries) throws IOException {
    if (rules.submodules() == null) {
      throw badTree(path + " is a submodule (at " + id.name() + "); the archive would miss its content. Set"
          + " source.submodules: include to archive it at that commit, or vendor its files");
    }
    String url = submoduleUrl(repo, commit, path);
    Repository sub = rules.submodules().open(path, url, id); // stays open: the entries read from it later
    try (RevWalk walk = new RevWalk(sub)) {
      entries.add(ArchiveEntry.directory(top + path));
      walk(sub, walk.parseCommit(id), top, path + "/", rules, entries);
    }
  }

  /** The URL {@code .gitmodules} of the commit gives for the submodule at {@code path}. */
  private static String submoduleUrl(Repository repo, RevCommit commit, String path) throws IOException {
    return DeclaredSubmodules.of(repo, commit.getTree()).stream()
        .filter(s -> s.path().equals(path))
        .map(DeclaredSubmodules.Submodule::url)
        .findFirst()
        .orElseThrow(() -> badTree(path + " is a submodule but " + Constants.DOT_GIT_MODULES
            + " gives no url for it"));
  }

  private static Optional<String> decode(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static StageFailure badTree(String message) {
    return new StageFailure(Failures.BAD_TREE, message);
  }
}
