package dev.durablerelease.git;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.StageFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/** The submodules a commit's {@code .gitmodules} declares: where each lives in the tree and where it is fetched from. */
public final class DeclaredSubmodules {
  private DeclaredSubmodules() {}

  /**
   * @param path its folder in the tree
   * @param url its URL as written (possibly relative to the superproject's)
   */
  public record Submodule(String path, String url) {}

  /** The submodules of the commit's {@code .gitmodules}; none when it has none. */
  public static List<Submodule> of(Repository repo, String commit) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return of(repo, walk.parseCommit(ObjectId.fromString(commit)).getTree());
    }
  }

  public static List<Submodule> of(Repository repo, RevTree tree) throws IOException {
    String text;
    try (TreeWalk tw = TreeWalk.forPath(repo, Constants.DOT_GIT_MODULES, tree)) {
      if (tw == null) {
        return List.of();
      }
      text = new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
    Config config = new Config();
    try {
      config.fromText(text);
    } catch (ConfigInvalidException e) {
      throw new StageFailure(Failures.BAD_TREE, Constants.DOT_GIT_MODULES + " cannot be read: " + e.getMessage());
    }
    List<Submodule> submodules = new ArrayList<>();
    for (String name : config.getSubsections("submodule")) {
      String path = config.getString("submodule", name, "path");
      String url = config.getString("submodule", name, "url");
      if (path != null && url != null) {
        submodules.add(new Submodule(path, url));
      }
    }
    return submodules;
  }
}
