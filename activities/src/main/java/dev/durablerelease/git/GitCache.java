package dev.durablerelease.git;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.store.Digests;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
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

/**
 * Bare clones of released repositories in this worker's work folder, one per repository URL, fetched tag by tag. A
 * worker that did not run {@code checkout} fetches what it needs itself, so stages of one release may run on
 * different hosts.
 */
public final class GitCache {
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path root;

  public GitCache(Path root) {
    this.root = root;
  }

  /** The tag's commit after fetching it from the repository; the tag object too when it is annotated. */
  public record ResolvedTag(String tag, String commit, String tree, long commitTime, String tagObject) {}

  /** Fetches {@code refs/tags/<tag>} (forced, so a moved tag is seen as moved) and resolves it. */
  public ResolvedTag fetchTag(String repository, String tag) throws IOException {
    Path dir = cacheDir(repository);
    return locked(dir, () -> {
      try (Repository repo = openOrInit(dir)) {
        fetch(repo, repository, tag);
        return resolve(repo, tag);
      }
    });
  }

  /** Opens the cached repository, fetching the tag first when the commit is not there yet. */
  public Repository open(String repository, String tag, String commit) throws IOException {
    Path dir = cacheDir(repository);
    locked(dir, () -> {
      try (Repository repo = openOrInit(dir)) {
        if (!repo.getObjectDatabase().has(ObjectId.fromString(commit))) {
          fetch(repo, repository, tag);
        }
        ResolvedTag resolved = resolve(repo, tag);
        if (!resolved.commit().equals(commit)) {
          throw new StageFailure(Failures.COMMIT_MISMATCH, "tag " + tag + " in " + repository + " now resolves to "
              + resolved.commit() + ", not " + commit + " as at checkout; the tag was moved during the release");
        }
      }
      return null;
    });
    return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
  }

  /**
   * Opens the cached repository of a submodule holding {@code commit}, fetching its branches and tags when the commit
   * is not there yet. {@code url} may be relative to {@code superRepository}, as in {@code .gitmodules}.
   */
  public Repository openSubmodule(String superRepository, String path, String url, ObjectId commit)
      throws IOException {
    String repository = resolveUrl(superRepository, url);
    Path dir = cacheDir(repository);
    locked(dir, () -> {
      try (Repository repo = openOrInit(dir); Git git = new Git(repo)) {
        if (!repo.getObjectDatabase().has(commit)) {
          git.fetch()
              .setRemote(repository)
              .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
              .setTagOpt(TagOpt.NO_TAGS)
              .call();
        }
        if (!repo.getObjectDatabase().has(commit)) {
          throw new StageFailure(Failures.BAD_TREE, "submodule " + path + " records commit " + commit.name()
              + ", which no branch or tag of " + repository + " contains; push it or update the submodule");
        }
      } catch (InvalidRemoteException e) {
        throw unavailable(repository, e);
      } catch (GitAPIException e) {
        throw new IOException("fetching submodule " + path + " from " + repository + ": " + e.getMessage(), e);
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

  private void fetch(Repository repo, String repository, String tag) throws IOException {
    String ref = Constants.R_TAGS + tag;
    try (Git git = new Git(repo)) {
      Collection<Ref> remoteTags = Git.lsRemoteRepository().setRemote(repository).setTags(true).call();
      if (remoteTags.stream().noneMatch(r -> r.getName().equals(ref))) {
        String known = remoteTags.stream()
            .map(r -> r.getName().substring(Constants.R_TAGS.length()))
            .filter(name -> !name.endsWith("^{}"))
            .sorted(Comparator.reverseOrder())
            .limit(5)
            .collect(Collectors.joining(", "));
        throw new StageFailure(Failures.TAG_NOT_FOUND, "tag " + tag + " does not exist in " + repository
            + (known.isEmpty() ? " (it has no tags)" : "; its latest tags: " + known)
            + "; push the tag or fix the version/tag");
      }
      git.fetch()
          .setRemote(repository)
          .setRefSpecs(new RefSpec("+" + ref + ":" + ref))
          .setTagOpt(TagOpt.NO_TAGS)
          .call();
    } catch (InvalidRemoteException e) {
      throw unavailable(repository, e);
    } catch (TransportException e) {
      if (e.getCause() instanceof NoRemoteRepositoryException || isMissingLocalPath(repository)) {
        throw unavailable(repository, e);
      }
      throw new IOException("fetching " + tag + " from " + repository + ": " + e.getMessage(), e);
    } catch (GitAPIException e) {
      throw new IOException("fetching " + tag + " from " + repository + ": " + e.getMessage(), e);
    }
  }

  private static StageFailure unavailable(String repository, Exception e) {
    return new StageFailure(Failures.REPOSITORY_UNAVAILABLE, "cannot read git repository " + repository + ": "
        + e.getMessage() + "; check the repository URL or path", e);
  }

  private static boolean isMissingLocalPath(String repository) {
    return !repository.contains("://") && !repository.contains("@") && !new File(repository).exists();
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
