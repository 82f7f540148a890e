package dev.durablerelease.activities;

import static dev.durablerelease.testing.StageHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.FetchProgress;
import dev.durablerelease.git.GitCache;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.testing.GitServers;
import dev.durablerelease.testing.LongHistory;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.StageHarness;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * How checkout fetches, against real servers on loopback: a cold cache receives the tagged commit and its tree only,
 * a warm one what it lacks; a server that refuses shallow fetches gets a full one; failures a retry cannot fix
 * (missing objects, unknown tags, refused access) end the stage at once, naming what is wrong, while a server that is
 * down is retried.
 */
class CheckoutFetchTest {
  private static final String TAG = "v1.0.0";

  @TempDir
  Path tmp;

  private Path served;
  private StageHarness stages;
  private final List<FetchProgress> heartbeats = new CopyOnWriteArrayList<>();

  @BeforeEach
  void harness() throws IOException {
    served = Files.createDirectories(tmp.resolve("served"));
    stages = new StageHarness(tmp.resolve("worker"));
    stages.onHeartbeat(FetchProgress.class, heartbeats::add);
  }

  @AfterEach
  void close() {
    stages.close();
  }

  @Test
  void coldCheckoutOfALongHistoryFetchesTheTaggedCommitOnly() throws Exception {
    Path origin = LongHistory.create(served.resolve("long.git"), TAG, 2_000, 200);
    Set<ObjectId> release = objectsOf(origin, TAG);
    assertThat(release).hasSize(1 + 1 + 3 + 200); // tag, commit, trees (root, src, doc), files

    try (GitServers.Server daemon = GitServers.gitDaemon(served)) {
      Checkout checkout = stages.source().checkout(input(daemon.url("long.git"), TAG));
      Path cache = cacheOf("long");
      assertThat(objectCount(cache)).isEqualTo(release.size());
      assertThat(shallowCommits(cache)).containsExactly(checkout.commit());
      FetchProgress received = heartbeats.get(heartbeats.size() - 1);
      assertThat(received.repository()).isEqualTo(daemon.url("long.git"));
      assertThat(received.receivedObjects()).isEqualTo(release.size());
      assertThat(received.receivedBytes()).isPositive();

      // the archives are made from that one commit, as from a full clone
      Archives archives = stages.source().buildSource(checkout);
      assertThat(archives.fileCount()).isEqualTo(200);
    }

    // a local path is served by JGit inside the worker: just as shallow
    try (StageHarness local = new StageHarness(tmp.resolve("local-worker"))) {
      local.source().checkout(input(origin.toString(), TAG));
      Path cache = only(tmp.resolve("local-worker/work/git"), "long");
      assertThat(objectCount(cache)).isEqualTo(release.size());
    }
  }

  @Test
  void warmCacheFetchesOnlyTheObjectsItLacks() throws Exception {
    Path origin = LongHistory.create(served.resolve("long.git"), TAG, 500, 50);
    try (GitServers.Server daemon = GitServers.gitDaemon(served)) {
      stages.source().checkout(input(daemon.url("long.git"), TAG));
      Path cache = cacheOf("long");
      long before = objectCount(cache);

      LongHistory.change(origin, "v1.1.0", 4); // src/file4.txt
      Checkout next = stages.source().checkout(input(daemon.url("long.git"), "v1.1.0"));
      Set<ObjectId> lacking = objectsOf(origin, "v1.1.0");
      lacking.removeAll(objectsOf(origin, TAG));
      assertThat(lacking).hasSize(5); // tag, commit, root tree, src tree, the changed file
      assertThat(heartbeats.get(heartbeats.size() - 1).receivedObjects()).isEqualTo(lacking.size());
      assertThat(objectCount(cache) - before).isEqualTo(lacking.size());

      Archives archives = stages.source().buildSource(next);
      assertThat(archives.fileCount()).isEqualTo(50);
    }
  }

  @Test
  void serverThatRefusesShallowFetchesGetsAFullOneSaidOnceInTheLog() throws Exception {
    Path origin = LongHistory.create(served.resolve("long.git"), TAG, 300, 20);
    Logger logger = (Logger) LoggerFactory.getLogger(GitCache.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try (GitServers.Server server = GitServers.refusingShallowFetches(served)) {
      Checkout checkout = stages.source().checkout(input(server.url("long.git"), TAG));
      assertThat(commitsReachable(cacheOf("long"), checkout.commit())).isEqualTo(300);
      assertThat(shallowCommits(cacheOf("long"))).isEmpty();
      assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
          .extracting(ILoggingEvent::getFormattedMessage).asString()
          .contains(server.url("long.git") + " refuses shallow fetches")
          .contains("shallow fetches are not served here")
          .contains("fetching the whole history instead");
      assertThat(heartbeats.get(heartbeats.size() - 1).receivedObjects()).isEqualTo(objectCount(cacheOf("long")));
    } finally {
      logger.detachAppender(log);
    }
    assertThat(objectCount(origin)).isEqualTo(objectCount(cacheOf("long")));
  }

  @Test
  void missingObjectsEndTheCheckoutAtOnceNamingTheObject() throws Exception {
    try (SampleRepository repo = SampleRepository.create(served.resolve("hello"))) {
      String blob = blobId(repo.dir().resolve(".git"), TAG, "src/hello.c");
      Files.delete(repo.dir().resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2)));

      ApplicationFailure local = failure(() -> stages.source().checkout(input(repo.url(), TAG)));
      assertThat(local.getType()).isEqualTo(Failures.REPOSITORY_CORRUPT);
      assertThat(local.isNonRetryable()).isTrue();
      assertThat(local.getOriginalMessage()).doesNotContain("\n")
          .startsWith("blob " + blob + " (src/hello.c) is missing from git repository " + repo.url())
          .contains("tag v1.0.0 needs it").contains("restore it there");

      try (GitServers.Server daemon = GitServers.gitDaemon(served)) {
        ApplicationFailure remote = failure(() -> stages.source().checkout(input(daemon.url("hello"), TAG)));
        assertThat(remote.getType()).isEqualTo(Failures.REPOSITORY_CORRUPT);
        assertThat(remote.isNonRetryable()).isTrue();
        assertThat(remote.getOriginalMessage()).doesNotContain("\n")
            .contains("git repository " + daemon.url("hello") + " cannot send tag v1.0.0")
            .contains("missing or damaged objects").contains("git fsck");
      }
    }
  }

  @Test
  void objectsMissingFromTheHistoryOnlyDoNotMatter() throws Exception {
    try (SampleRepository repo = SampleRepository.create(served.resolve("hello"))) {
      String old = blobId(repo.dir().resolve(".git"), TAG, "src/hello.c");
      repo.writeFile("src/hello.c", "int main(void) { return 0; }\n").commitAll("hello 1.0.1");
      repo.tag("v1.0.1");
      Files.delete(repo.dir().resolve(".git/objects/" + old.substring(0, 2) + "/" + old.substring(2)));

      Checkout checkout = stages.source().checkout(
          new CheckoutInput(repo.url(), "1.0.1", "v1.0.1", repo.head(), null, false));
      assertThat(stages.source().buildSource(checkout).fileCount()).isPositive();
    }
  }

  @Test
  void unknownTagsAndRefusedAccessAreNamedAndNotRetried() throws Exception {
    LongHistory.create(served.resolve("long.git"), TAG, 3, 2);
    try (GitServers.Server daemon = GitServers.gitDaemon(served)) {
      ApplicationFailure unknown = failure(() -> stages.source().checkout(input(daemon.url("long.git"), "v9.9.9")));
      assertThat(unknown.getType()).isEqualTo(Failures.TAG_NOT_FOUND);
      assertThat(unknown.isNonRetryable()).isTrue();
      assertThat(unknown.getOriginalMessage())
          .isEqualTo("tag v9.9.9 does not exist in " + daemon.url("long.git") + "; its latest tags: v1.0.0;"
              + " push the tag or fix the version/tag");
    }

    try (GitServers.Server http = GitServers.requiringLogin()) {
      String url = http.url("hello.git").replace("http://", "http://releaser:s3cret@");
      ApplicationFailure refused = failure(() -> stages.source().checkout(input(url, TAG)));
      assertThat(refused.getType()).isEqualTo(Failures.REPOSITORY_UNAVAILABLE);
      assertThat(refused.isNonRetryable()).isTrue();
      assertThat(refused.getOriginalMessage()).doesNotContain("\n").doesNotContain("s3cret")
          .startsWith("git repository " + http.url("hello.git").replace("http://", "http://releaser@")
              + " refused this worker access (")
          .contains("give the source workers read access to it");
    }
  }

  @Test
  void aServerThatIsDownIsRetried() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    String url = "git://127.0.0.1:" + port + "/x.git";
    ApplicationFailure down = failure(() -> stages.source().checkout(input(url, TAG)));
    assertThat(down.isNonRetryable()).isFalse();
    assertThat(down.getOriginalMessage()).startsWith("fetching tag v1.0.0 from " + url + ": ");
  }

  private static CheckoutInput input(String repository, String tag) throws Exception {
    return new CheckoutInput(repository, "1.0.0", tag, null,
        SpecLoader.load("project: long\nversion: 1.0.0\ntag: " + tag + "\n", "test.yaml",
            new SpecLoader.Overrides(repository, null)), false);
  }

  private Path cacheOf(String name) throws IOException {
    return only(tmp.resolve("worker/work/git"), name);
  }

  private static Path only(Path dir, String name) throws IOException {
    try (Stream<Path> caches = Files.list(dir)) {
      List<Path> found = caches.filter(p -> p.getFileName().toString().startsWith(name + "-")
          && p.getFileName().toString().endsWith(".git")).toList();
      assertThat(found).hasSize(1);
      return found.get(0);
    }
  }

  /** Objects a release of {@code tag} reads: the tag, its commit, the commit's trees and files. */
  private static Set<ObjectId> objectsOf(Path gitDir, String tag) throws IOException {
    Set<ObjectId> objects = new HashSet<>();
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build();
        RevWalk walk = new RevWalk(repo)) {
      RevObject object = walk.parseAny(repo.exactRef("refs/tags/" + tag).getObjectId());
      while (object instanceof RevTag t) {
        objects.add(t.copy());
        object = walk.parseAny(t.getObject());
      }
      RevCommit commit = (RevCommit) object;
      objects.add(commit.copy());
      objects.add(commit.getTree().copy());
      try (TreeWalk tree = new TreeWalk(repo)) {
        tree.addTree(commit.getTree());
        while (tree.next()) {
          objects.add(tree.getObjectId(0));
          if (tree.getFileMode(0) == FileMode.TREE) {
            tree.enterSubtree();
          }
        }
      }
    }
    return objects;
  }

  private static String blobId(Path gitDir, String tag, String path) throws IOException {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build();
        RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(repo.exactRef("refs/tags/" + tag).getObjectId());
      try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
        return tree.getObjectId(0).name();
      }
    }
  }

  private static Set<String> shallowCommits(Path gitDir) throws IOException {
    Path shallow = gitDir.resolve("shallow");
    return Files.exists(shallow) ? Set.copyOf(Files.readAllLines(shallow)) : Set.of();
  }

  private static int commitsReachable(Path gitDir, String commit) throws IOException {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build();
        RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(ObjectId.fromString(commit)));
      int count = 0;
      while (walk.next() != null) {
        count++;
      }
      return count;
    }
  }

  /**
   * The distinct objects in the repository, loose or packed, as git lists them (a fetched thin pack is completed with
   * a copy of the bases its deltas need, so packs may hold an object twice).
   */
  private static long objectCount(Path gitDir) throws Exception {
    Process git = new ProcessBuilder("git", "--git-dir=" + gitDir, "cat-file", "--batch-all-objects",
        "--batch-check=%(objectname)").start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(git.waitFor()).isZero();
    return out.lines().count();
  }
}
