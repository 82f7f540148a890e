package dev.durablerelease.git;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.store.Digests;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bare clones of released repositories in this worker's work folder, one per repository URL, fetched tag by tag. A
 * worker that did not run {@code checkout} fetches what it needs itself, so stages of one release may run on
 * different hosts.
 *
 * <p>A release reads one commit: the tag object (its signature), the commit and the commit's tree (archives, spec).
 * So every fetch is shallow (depth 1): a cold cache receives that commit and its tree, never the history, and a warm
 * one only the objects it lacks. Nothing reads history (no ancestry, no describe), so shallow commits in the cache
 * break nothing, and a later release of another tag fetches that tag the same way. A server that refuses shallow
 * fetches gets a full one instead. Submodules' recorded commits are fetched by id, also at depth 1.
 */
public final class GitCache {
  private static final Logger log = LoggerFactory.getLogger(GitCache.class);
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  /** The one commit a release reads: the tagged one, or a submodule's recorded one. */
  private static final int DEPTH = 1;

  private final Path root;

  public GitCache(Path root) {
    this.root = root;
  }

  /** The tag's commit after fetching it from the repository; the tag object too when it is annotated. */
  public record ResolvedTag(String tag, String commit, String tree, long commitTime, String tagObject) {}

  /** Fetches {@code refs/tags/<tag>} (forced, so a moved tag is seen as moved) and resolves it. */
  public ResolvedTag fetchTag(String repository, String tag, FetchMonitor monitor) throws IOException {
    Path dir = cacheDir(repository);
    return locked(dir, () -> {
      try (Repository repo = openOrInit(dir)) {
        fetchTag(repo, repository, tag, monitor);
        return resolve(repo, tag);
      }
    });
  }

  /** Opens the cached repository, fetching the tag first when the commit is not there yet. */
  public Repository open(String repository, String tag, String commit, FetchMonitor monitor) throws IOException {
    Path dir = cacheDir(repository);
    locked(dir, () -> {
      try (Repository repo = openOrInit(dir)) {
        if (!repo.getObjectDatabase().has(ObjectId.fromString(commit))) {
          fetchTag(repo, repository, tag, monitor);
        }
        ResolvedTag resolved = resolve(repo, tag);
        if (!resolved.commit().equals(commit)) {
          throw new StageFailure(Failures.COMMIT_MISMATCH, "tag " + tag + " in " + GitFailures.display(repository)
              + " now resolves to " + resolved.commit() + ", not " + commit + " as at checkout; the tag was moved"
              + " during the release");
        }
      }
      return null;
    });
    return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
  }

  /**
   * Opens the cached repository of a submodule holding {@code commit}, fetching that commit when it is not there yet
   * (or, from a server that serves no commit by its id, the submodule's branches and tags). {@code url} may be
   * relative to {@code superRepository}, as in {@code .gitmodules}.
   */
  public Repository openSubmodule(String superRepository, String path, String url, ObjectId commit,
      FetchMonitor monitor) throws IOException {
    String repository = resolveUrl(superRepository, url);
    Path dir = cacheDir(repository);
    String what = "commit " + commit.name() + " of submodule " + path;
    locked(dir, () -> {
      try (Repository repo = openOrInit(dir)) {
        if (!repo.getObjectDatabase().has(commit)) {
          GitFailures.requireObjects(repository, what, commit.name());
          try {
            fetch(repo, repository, List.of(new RefSpec(commit.name())), monitor);
          } catch (GitAPIException e) {
            GitFailures.throwIfFinal(repository, what, e);
            log.warn("{} does not serve {} by its id ({}); fetching its branches and tags instead",
                GitFailures.display(repository), what, GitFailures.oneLine(e.getMessage()));
            fetchAll(repo, repository, what, commit, monitor);
          }
        }
        if (!repo.getObjectDatabase().has(commit)) {
          throw new StageFailure(Failures.BAD_TREE, "submodule " + path + " records commit " + commit.name()
              + ", which no branch or tag of " + GitFailures.display(repository) + " contains; push it or update"
              + " the submodule");
        }
      }
      return null;
    });
    return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
  }

  /** A submodule URL as git resolves it: {@code ./x} and {@code ../x} are relative to the superproject's location. */
  public static String resolveUrl(String superRepository, String url) {
    if (!url.startsWith("./") && !url.startsWith("../")) {
      return url;
    }
    String base = superRepository.replaceAll("/+$", "");
    String rest = url;
    while (true) {
      if (rest.startsWith("./")) {
        rest = rest.substring(2);
      } else if (rest.startsWith("../")) {
        base = base.substring(0, Math.max(base.lastIndexOf('/'), 0));
        rest = rest.substring(3);
      } else {
        return base + "/" + rest;
      }
    }
  }

  /** A file of the commit's tree, if present (e.g. {@code release.yaml}). */
  public static Optional<String> readFile(Repository repo, String commit, String path) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
      try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
        if (tw == null) {
          return Optional.empty();
        }
        ObjectLoader loader = repo.open(tw.getObjectId(0));
        return Optional.of(new String(loader.getBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  private static void fetchTag(Repository repo, String repository, String tag, FetchMonitor monitor)
      throws IOException {
    String ref = Constants.R_TAGS + tag;
    GitFailures.requireObjects(repository, "tag " + tag, ref);
    try {
      fetch(repo, repository, List.of(new RefSpec("+" + ref + ":" + ref)), monitor);
    } catch (GitAPIException e) {
      if (GitFailures.isMissingRef(e, ref)) {
        throw GitFailures.tagNotFound(repository, tag);
      }
      GitFailures.throwIfFinal(repository, "tag " + tag, e);
      throw new IOException("fetching tag " + tag + " from " + GitFailures.display(repository) + ": "
          + GitFailures.oneLine(e.getMessage()), e);
    }
  }

  /**
   * Fetches {@code specs} at depth 1, or whole from a server that refuses shallow fetches (said once in the log, as it
   * takes longer).
   */
  private static void fetch(Repository repo, String repository, List<RefSpec> specs, FetchMonitor monitor)
      throws GitAPIException, IOException {
    monitor.fetching(GitFailures.display(repository), repo.getDirectory().toPath().resolve("objects"));
    Set<ObjectId> shallow = repo.getObjectDatabase().getShallowCommits();
    try (Git git = new Git(repo)) {
      try {
        git.fetch().setRemote(repository).setRefSpecs(specs).setTagOpt(TagOpt.NO_TAGS).setProgressMonitor(monitor)
            .setDepth(DEPTH).call();
      } catch (GitAPIException e) {
        if (!GitFailures.isShallowRefused(e)) {
          throw e;
        }
        log.warn("{} refuses shallow fetches ({}); fetching the whole history instead, which takes longer",
            GitFailures.display(repository), GitFailures.oneLine(e.getMessage()));
        // the refused attempt may have recorded the boundary the server announced before refusing
        repo.getObjectDatabase().setShallowCommits(shallow);
        git.fetch().setRemote(repository).setRefSpecs(specs).setTagOpt(TagOpt.NO_TAGS).setProgressMonitor(monitor)
            .call();
      }
    }
  }

  /** The submodule's branches and tags, whole: for servers that serve no commit by its id. */
  private static void fetchAll(Repository repo, String repository, String what, ObjectId commit,
      FetchMonitor monitor) throws IOException {
    monitor.fetching(GitFailures.display(repository), repo.getDirectory().toPath().resolve("objects"));
    try (Git git = new Git(repo)) {
      git.fetch()
          .setRemote(repository)
          .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
          .setTagOpt(TagOpt.NO_TAGS)
          .setProgressMonitor(monitor)
          .call();
    } catch (GitAPIException e) {
      GitFailures.throwIfFinal(repository, what, e);
      throw new IOException("fetching " + what + " from " + GitFailures.display(repository) + ": "
          + GitFailures.oneLine(e.getMessage()), e);
    }
  }

  private static ResolvedTag resolve(Repository repo, String tag) throws IOException {
    Ref ref = repo.exactRef(Constants.R_TAGS + tag);
    if (ref == null) {
      throw new StageFailure(Failures.TAG_NOT_FOUND, "tag " + tag + " was not fetched");
    }
    try (RevWalk walk = new RevWalk(repo)) {
      RevObject object = walk.parseAny(ref.getObjectId());
      String tagObject = object instanceof RevTag t ? t.getId().name() : null;
      RevObject peeled = walk.peel(object);
      if (!(peeled instanceof RevCommit commit)) {
        throw new StageFailure(Failures.TAG_NOT_FOUND, "tag " + tag + " points to a "
            + Constants.typeString(peeled.getType()) + ", not a commit");
      }
      walk.parseHeaders(commit);
      return new ResolvedTag(tag, commit.name(), commit.getTree().name(), commit.getCommitTime(), tagObject);
    }
  }

  private Path cacheDir(String repository) {
    String digest = Digests.sha256Hex(repository.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    String base = repository.replaceAll("/+$", "").replaceAll("\\.git$", "");
    base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    return root.resolve(base + "-" + digest + ".git");
  }

  private static Repository openOrInit(Path dir) throws IOException {
    if (!Files.isDirectory(dir.resolve("objects"))) {
      try {
        Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
      } catch (GitAPIException e) {
        throw new IOException("cannot create git cache " + dir + ": " + e.getMessage(), e);
      }
    }
    return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
  }

  @FunctionalInterface
  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  /** One fetch per cached repository at a time, across threads and across worker processes sharing the folder. */
  private static <T> T locked(Path dir, IoSupplier<T> action) throws IOException {
    ReentrantLock lock = LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    lock.lock();
    try {
      Files.createDirectories(dir.getParent());
      try (FileChannel channel = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return action.get();
      }
    } finally {
      lock.unlock();
    }
  }
}
