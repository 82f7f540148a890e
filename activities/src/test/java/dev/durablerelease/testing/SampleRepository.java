package dev.durablerelease.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real git repository made with JGit in a test's temp folder: the hello sample of {@code examples/hello/project},
 * committed with a fixed author and date and tagged {@code v1.0.0} (annotated), as {@code make-repo.sh} does.
 */
public final class SampleRepository implements AutoCloseable {
  public static final String TAG = "v1.0.0";
  public static final String VERSION = "1.0.0";
  public static final Instant COMMIT_TIME = Instant.parse("2026-11-01T12:00:00Z");

  private final Path dir;
  private final Git git;
  private Instant clock = COMMIT_TIME;

  private SampleRepository(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  /** Creates the sample in {@code dir} and tags it {@code v1.0.0}. */
  public static SampleRepository create(Path dir) {
    try {
      copyTree(projectFolder(), dir);
      Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
      SampleRepository repo = new SampleRepository(dir, git);
      repo.commitAll("hello 1.0.0");
      repo.tag(TAG);
      return repo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sample's files in this checkout of durable-release. */
  public static Path projectFolder() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("examples/hello/project");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("examples/hello/project not found above " + Path.of("").toAbsolutePath());
  }

  public Path dir() {
    return dir;
  }

  /** The repository as a spec names it. */
  public String url() {
    return dir.toAbsolutePath().toString();
  }

  public SampleRepository writeFile(String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits every change with the fixed author, one minute after the previous commit. */
  public String commitAll(String message) {
    try {
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      PersonIdent who = new PersonIdent("Hello Authors", "hello@example.invalid", clock, ZoneOffset.UTC);
      clock = clock.plusSeconds(60);
      RevCommit commit = git.commit().setMessage(message + "\n").setAuthor(who).setCommitter(who).setSign(false)
          .call();
      return commit.name();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An annotated, unsigned tag on HEAD; replaces an existing tag of that name (a "moved" tag). */
  public SampleRepository tag(String name) {
    try {
      PersonIdent who = new PersonIdent("Hello Authors", "hello@example.invalid", COMMIT_TIME, ZoneOffset.UTC);
      git.tag().setName(name).setAnnotated(true).setMessage("hello " + name + "\n").setTagger(who).setSigned(false)
          .setForceUpdate(true).call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public String head() {
    try {
      return git.getRepository().resolve("HEAD").name();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    git.close();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
