package dev.durablerelease.archive;

import dev.durablerelease.activities.StageFailure;
import dev.durablerelease.activity.Failures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Lists a commit's tree as archive entries: exactly what was committed, nothing from a working folder. */
public final class GitTreeEntries {
  private GitTreeEntries() {}

  /**
   * @param topFolder the single folder every path goes under, e.g. {@code hello-2.1.0}
   * @param excluded paths (relative to the repository root) to leave out
   */
  public static List<ArchiveEntry> list(Repository repo, String commit, String topFolder, Predicate<String> excluded)
      throws IOException {
    List<ArchiveEntry> entries = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
      tree.addTree(c.getTree());
      tree.setRecursive(true);
      ObjectReader reader = tree.getObjectReader();
      while (tree.next()) {
        String path = tree.getPathString();
        if (excluded.test(path)) {
          continue;
        }
        FileMode mode = tree.getFileMode(0);
        ObjectId id = tree.getObjectId(0);
        String name = topFolder + "/" + path;
        if (mode == FileMode.GITLINK) {
          throw new StageFailure(Failures.BAD_TREE, path + " is a submodule; the archive would miss its content."
              + " Remove the submodule or vendor its files");
        } else if (mode == FileMode.SYMLINK) {
          String target = new String(reader.open(id).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
          entries.add(new ArchiveEntry(name, ArchiveEntry.Type.SYMLINK, 0, target, null));
        } else {
          long size = reader.getObjectSize(id, org.eclipse.jgit.lib.Constants.OBJ_BLOB);
          ArchiveEntry.Type type =
              mode == FileMode.EXECUTABLE_FILE ? ArchiveEntry.Type.EXECUTABLE : ArchiveEntry.Type.FILE;
          entries.add(new ArchiveEntry(name, type, size, null, () -> repo.open(id).openStream()));
        }
      }
    }
    entries.add(ArchiveEntry.directory(topFolder));
    return ArchiveEntries.withDirectories(entries);
  }
}
