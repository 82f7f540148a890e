package dev.durablerelease.git;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.StageFailure;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.text.MessageFormat;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What a failed fetch means. Failures a retry cannot fix (no such repository or tag, access refused, objects missing
 * from the repository) become a {@link StageFailure} that names the repository, tag or object and the fix; anything
 * else (a dropped connection, a server restarting) stays an {@link IOException}, which Temporal retries.
 */
final class GitFailures {
  private GitFailures() {}

  /** The repository as messages and logs show it: a URL's password never appears. */
  static String display(String repository) {
    if (!repository.contains("://")) {
      return repository;
    }
    try {
      return new URIish(repository).setPass(null).toString();
    } catch (URISyntaxException e) {
      return repository.replaceAll("//[^/@]*@", "//");
    }
  }

  /** A git message as one line: servers end theirs with newlines and NUL bytes. */
  static String oneLine(String message) {
    String text = message == null ? "" : message.replaceAll("[\\p{Cntrl}&&[^\n]]", "").strip();
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  static boolean isMissingRef(GitAPIException e, String ref) {
    return MessageFormat.format(JGitText.get().remoteDoesNotHaveSpec, ref).equals(e.getMessage());
  }

  /**
   * The server cannot or will not serve a shallow fetch: it does not offer git's {@code shallow} capability, or it
   * answered the request for one with an error that says so.
   */
  static boolean isShallowRefused(GitAPIException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PackProtocolException && JGitText.get().shallowNotSupported.equals(t.getMessage())) {
        return true;
      }
    }
    String message = lower(e.getMessage());
    return message.contains("shallow") || message.contains("deepen");
  }

  static StageFailure tagNotFound(String repository, String tag) {
    String known;
    try {
      Collection<Ref> tags = Git.lsRemoteRepository().setRemote(repository).setTags(true).call();
      known = tags.stream()
          .map(r -> r.getName().substring(Constants.R_TAGS.length()))
          .filter(name -> !name.endsWith("^{}"))
          .sorted(Comparator.reverseOrder())
          .limit(5)
          .collect(Collectors.joining(", "));
      known = known.isEmpty() ? " (it has no tags)" : "; its latest tags: " + known;
    } catch (GitAPIException e) {
      known = "";
    }
    return new StageFailure(Failures.TAG_NOT_FOUND, "tag " + tag + " does not exist in " + display(repository)
        + known + "; push the tag or fix the version/tag");
  }

  /**
   * Throws the {@link StageFailure} for failures a retry cannot fix; returns for the others.
   *
   * @param what what was fetched, for the message (e.g. {@code tag v1.0.0})
   */
  static void throwIfFinal(String repository, String what, Exception e) {
    String message = oneLine(e.getMessage());
    String lower = lower(message);
    if (hasCause(e, InvalidRemoteException.class) || hasCause(e, NoRemoteRepositoryException.class)
        || isMissingLocalPath(repository)) {
      throw new StageFailure(Failures.REPOSITORY_UNAVAILABLE, "cannot read git repository " + display(repository)
          + ": " + message + "; check the repository URL or path", e);
    }
    if (lower.contains("authentication") || lower.contains(lower(JGitText.get().notAuthorized))
        || lower.contains("auth fail") || lower.contains("permission denied") || lower.contains("not permitted on")) {
      throw new StageFailure(Failures.REPOSITORY_UNAVAILABLE, "git repository " + display(repository)
          + " refused this worker access (" + message + "); give the source workers read access to it (for ssh://"
          + " URLs, a key in the worker user's ~/.ssh), or release from a URL they may read", e);
    }
    if (lower.contains("repository corruption") || lower.matches(".*unable to read [0-9a-f]{40}.*")) {
      throw new StageFailure(Failures.REPOSITORY_CORRUPT, "git repository " + display(repository) + " cannot send "
          + what + ": the server reports missing or damaged objects (" + message + "); find them there with"
          + " git fsck and restore them from another clone", e);
    }
  }

  /**
   * For a repository on this host, checks that it holds every object of {@code want}'s commit before fetching: JGit
   * serves it inside this process, and on a missing object that server prints a stack trace to the terminal and
   * answers only "internal server error", while this names the object at once.
   *
   * @param what what is fetched, for the message (e.g. {@code tag v1.0.0})
   * @param want a ref name or an object id
   */
  static void requireObjects(String repository, String what, String want) {
    localRepository(repository).filter(File::isDirectory).flatMap(dir -> missingObject(dir, want))
        .ifPresent(missing -> {
          throw new StageFailure(Failures.REPOSITORY_CORRUPT, missing + " is missing from git repository "
              + display(repository) + ", and " + what + " needs it; restore it there from another clone"
              + " (git fsck --connectivity-only lists every missing object)");
        });
  }

  /**
   * The first object of {@code want}'s commit (the tag, the commit, its tree and files) that {@code dir} lacks, as
   * {@code blob <id> (<path>)}.
   */
  private static Optional<String> missingObject(File dir, String want) {
    try (Git git = Git.open(dir); RevWalk walk = new RevWalk(git.getRepository())) {
      Repository source = git.getRepository();
      Ref ref = ObjectId.isId(want) ? null : source.exactRef(want);
      ObjectId start = ObjectId.isId(want) ? ObjectId.fromString(want) : ref == null ? null : ref.getObjectId();
      if (start == null) {
        return Optional.empty();
      }
      RevObject object = walk.parseAny(start);
      while (object instanceof RevTag tag) {
        object = walk.parseAny(tag.getObject());
      }
      if (!(object instanceof RevCommit commit)) {
        return Optional.empty();
      }
      walk.parseHeaders(commit);
      try (TreeWalk tree = new TreeWalk(source)) {
        tree.addTree(commit.getTree());
        while (tree.next()) {
          FileMode mode = tree.getFileMode(0);
          if (mode == FileMode.TREE) {
            try {
              tree.enterSubtree();
            } catch (MissingObjectException e) {
              return Optional.of("tree " + e.getObjectId().name() + " (" + tree.getPathString() + ")");
            }
          } else if (mode != FileMode.GITLINK && !source.getObjectDatabase().has(tree.getObjectId(0))) {
            return Optional.of("blob " + tree.getObjectId(0).name() + " (" + tree.getPathString() + ")");
          }
        }
      } catch (MissingObjectException e) {
        return Optional.of("tree " + e.getObjectId().name() + " (the commit's root tree)");
      }
      return Optional.empty();
    } catch (MissingObjectException e) {
      return Optional.of(e.getMessage().replaceFirst("^Missing (unknown )?", "object ").strip());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The folder of a repository given as a path or {@code file://} URL. */
  private static Optional<File> localRepository(String repository) {
    if (repository.startsWith("file://")) {
      return Optional.of(new File(repository.substring("file://".length())));
    }
    boolean url = repository.contains("://") || repository.matches("^[^/]+@[^/]+:.*");
    return url ? Optional.empty() : Optional.of(new File(repository));
  }

  private static boolean isMissingLocalPath(String repository) {
    return localRepository(repository).map(dir -> !dir.exists()).orElse(false);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
