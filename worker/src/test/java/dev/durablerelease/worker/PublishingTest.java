package dev.durablerelease.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.activities.UploadActivitiesImpl;
import dev.durablerelease.activity.Publication;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.activity.UploadInput;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.store.Digests;
import dev.durablerelease.testing.DroppingProxy;
import dev.durablerelease.testing.S3ProxyServer;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.SftpServer;
import dev.durablerelease.testing.WebDavServer;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Releases published through the workflow to three real targets on loopback at once: a folder, an SFTP server (MINA
 * SSHD, key authentication, known host key) and an S3-compatible store (s3proxy).
 */
class PublishingTest extends SampleReleaseTestBase {
  private SftpServer sftp;
  private S3ProxyServer s3;
  private Path folder;
  private Path clientKey;
  private Path knownHosts;

  @BeforeEach
  void setUp() throws Exception {
    folder = tmp.resolve("published");
    sftp = SftpServer.start(tmp.resolve("sftp-root"));
    clientKey = sftp.writeClientKey(tmp.resolve("id_ecdsa"));
    knownHosts = sftp.writeKnownHosts(tmp.resolve("known_hosts"), sftp.port());
    s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")));
    s3.client().createBucket(b -> b.bucket("releases"));
    Files.writeString(tmp.resolve("s3-key"), S3ProxyServer.ACCESS_KEY);
    Files.writeString(tmp.resolve("s3-secret"), S3ProxyServer.SECRET_KEY);
    policy(sftpUrl(sftp.port()), "knownHosts: " + knownHosts);
  }

  @AfterEach
  void closeServers() throws Exception {
    sftp.close();
    s3.close();
  }

  @Test
  void aReleaseIsPublishedToAFolderAnSftpServerAndAnS3StoreAndARepeatedUploadPublishesNothing() throws Exception {
    // the upload's first completion is lost (a worker dying just after publishing): Temporal runs it again
    AtomicInteger uploads = new AtomicInteger();
    List<Publication> publications = new ArrayList<>();
    UploadActivitiesImpl losesFirstCompletion = new UploadActivitiesImpl(context) {
      @Override
      public Publication upload(UploadInput input) {
        Publication publication = super.upload(input);
        publications.add(publication);
        if (uploads.incrementAndGet() == 1) {
          throw ApplicationFailure.newFailure("worker lost after publishing", "java.io.IOException");
        }
        return publication;
      }
    };
    ReleaseWorkers.register(env.getWorkerFactory(), context, List.of(TaskQueues.WORKFLOWS, TaskQueues.SOURCE,
        TaskQueues.BUILD, TaskQueues.DOCS, TaskQueues.SIGN));
    env.getWorkerFactory().newWorker(TaskQueues.UPLOAD).registerActivitiesImplementations(losesFirstCompletion);
    env.start();

    ReleaseResult result = run("release-hello-1.0.0", ReleaseRequest.of(spec()));

    List<ArtifactRef> files = published(result);
    // as release.json shows them: without the user
    assertThat(result.published()).containsExactly(folder.toUri().toString(),
        sftpUrl(sftp.port()).replace("release@", ""), "s3://releases/hello/1.0.0/");
    Map<String, String> expected = digests(files);
    assertThat(digestsIn(folder)).isEqualTo(expected);
    assertThat(digestsIn(sftp.root().resolve("srv/releases/1.0.0"))).isEqualTo(expected);
    assertThat(digestsIn(s3.objectFile("releases", "hello/1.0.0"))).isEqualTo(expected);

    assertThat(publications).hasSize(2);
    assertThat(publications.get(0).filesWritten()).isEqualTo(3 * files.size());
    assertThat(publications.get(1).filesWritten()).isZero();
    assertThat(publications.get(1).filesAlreadyPublished()).isEqualTo(3 * files.size());
    assertThat(stage(result, "upload").state()).isEqualTo(StageState.SUCCEEDED);
    assertThat(stage(result, "upload").detail()).isEqualTo("0 file(s) written to 3 target(s), "
        + 3 * files.size() + " already there");
  }

  @Test
  void aReleaseRunAgainAfterItWasPublishedMakesNothingAndEndsWithThePublishedFiles() throws Exception {
    startWorkers();
    ReleaseSpec spec = spec();
    ReleaseResult first = run("release-hello-1.0.0", ReleaseRequest.of(spec));
    Map<String, Map<String, String>> before = targets();

    // a new workflow, as when the embedded server of the first run is gone: the targets say it is published
    ReleaseResult again = runToEnd("release-hello-1.0.0-again", ReleaseRequest.of(spec));
    assertThat(again.alreadyPublished()).isTrue();
    assertThat(again.manifest()).isEqualTo(first.manifest());
    assertThat(again.checksums()).isEqualTo(first.checksums());
    assertThat(again.artifacts()).containsExactlyInAnyOrderElementsOf(first.artifacts());
    assertThat(again.published()).isEqualTo(first.published());
    for (String stage : List.of("provenance", "sign", "writeManifest", "upload")) {
      assertThat(stage(again, stage).state()).as(stage).isEqualTo(StageState.REUSED);
      assertThat(stage(again, stage).detail()).isEqualTo("already published: release.json sha256:"
          + first.manifest().sha256().substring(0, 12) + " on 3 target(s)");
    }
    assertThat(activitiesOf("release-hello-1.0.0-again")).as("nothing is signed, written or uploaded again")
        .doesNotContain("provenance", "sign", "writeManifest", "upload").contains("findPublished");
    assertThat(targets()).isEqualTo(before);

    // a run that died after publishing on two targets, before it moved the manifest files into place on the third
    s3.client().deleteObject(b -> b.bucket("releases").key("hello/1.0.0/release.json"));
    s3.client().deleteObject(b -> b.bucket("releases").key("hello/1.0.0/SHA256SUMS"));
    // a new run (not a resume) makes what the others hold, not a new provenance, signatures and manifest
    ReleaseResult completed = runToEnd("release-hello-1.0.0-completed", ReleaseRequest.of(spec));
    assertThat(completed.alreadyPublished()).isFalse();
    assertThat(completed.manifest()).isEqualTo(first.manifest());
    assertThat(stage(completed, "provenance").state()).isEqualTo(StageState.REUSED);
    assertThat(stage(completed, "sign").state()).isEqualTo(StageState.REUSED);
    assertThat(stage(completed, "upload").detail()).isEqualTo("2 file(s) written to 3 target(s), "
        + (3 * published(first).size() - 2) + " already there");
    assertThat(targets()).isEqualTo(before);
  }

  @Test
  void aReleaseWhoseRunDiedAfterPublishingIsFoundPublishedByTheNextRun() throws Exception {
    // the upload publishes, then its worker hangs until the run is gone (terminated, as when its server died)
    CountDownLatch published = new CountDownLatch(1);
    CountDownLatch runGone = new CountDownLatch(1);
    UploadActivitiesImpl hangsAfterPublishing = new UploadActivitiesImpl(context) {
      @Override
      public Publication upload(UploadInput input) {
        Publication publication = super.upload(input);
        published.countDown();
        try {
          runGone.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return publication;
      }
    };
    ReleaseWorkers.register(env.getWorkerFactory(), context, List.of(TaskQueues.WORKFLOWS, TaskQueues.SOURCE,
        TaskQueues.BUILD, TaskQueues.DOCS, TaskQueues.SIGN));
    env.getWorkerFactory().newWorker(TaskQueues.UPLOAD).registerActivitiesImplementations(hangsAfterPublishing);
    env.start();
    ReleaseSpec spec = spec();
    ReleaseWorkflow first = Releases.start(env.getWorkflowClient(), "release-hello-1.0.0", spec);
    Releases.await("the upload to publish", () -> published.getCount() == 0);
    WorkflowStub.fromTyped(first).terminate("the process running the release died");
    runGone.countDown();
    Map<String, Map<String, String>> before = targets();

    ReleaseResult again = runToEnd("release-hello-1.0.0-again", ReleaseRequest.of(spec));
    assertThat(again.alreadyPublished()).isTrue();
    assertThat(digests(published(again))).isEqualTo(before.get("folder"));
    assertThat(targets()).isEqualTo(before);
  }

  /** Runs a release to its end; one that blocks instead fails the test with its reason, rather than hanging it. */
  private ReleaseResult runToEnd(String workflowId, ReleaseRequest request) throws InterruptedException {
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), workflowId, request);
    ReleaseStatus end = Releases.awaitStatus(workflow, s -> s.state().isFinal() || s.state() == ReleaseState.BLOCKED);
    assertThat(end.state()).as(end.blocked().toString()).isEqualTo(ReleaseState.SUCCEEDED);
    return WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
  }

  /** Every target's files by name and digest. */
  private Map<String, Map<String, String>> targets() throws Exception {
    return Map.of("folder", digestsIn(folder), "sftp", digestsIn(sftp.root().resolve("srv/releases/1.0.0")),
        "s3", digestsIn(s3.objectFile("releases", "hello/1.0.0")));
  }

  /** The activity types a release's workflow scheduled. */
  private List<String> activitiesOf(String workflowId) {
    return env.getWorkflowClient().fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.hasActivityTaskScheduledEventAttributes())
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList();
  }

  @Test
  void aReleaseWhoseFilesDifferFromThePublishedOnesStopsAndPublishesNothing() throws Exception {
    startWorkers();
    ReleaseSpec spec = spec();
    run("release-hello-1.0.0", ReleaseRequest.of(spec));
    Map<String, String> before = digestsIn(folder);
    Map<String, String> sftpBefore = digestsIn(sftp.root().resolve("srv/releases/1.0.0"));
    Map<String, String> s3Before = digestsIn(s3.objectFile("releases", "hello/1.0.0"));

    // the tag moved to a commit with one changed file: same version, other bytes
    repo.writeFile("README.md", "changed after the release\n").commitAll("change");
    repo.tag(SampleRepository.TAG);
    ReleaseWorkflow second = Releases.start(env.getWorkflowClient(), "release-hello-1.0.0-again", spec);
    ReleaseStatus blocked = Releases.awaitStatus(second, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("upload");
      assertThat(b.failureType()).isEqualTo("AlreadyPublished");
      assertThat(b.reason()).startsWith("nothing was published: " + 3 * before.size() + " file(s) of this release"
              + " differ from what the targets hold: ")
          .contains(folder.toUri() + "hello-1.0.0.tar.gz (published as sha256:"
              + before.get("hello-1.0.0.tar.gz").substring(0, 12) + "…")
          .contains("and " + (3 * before.size() - 5) + " more")
          .endsWith("A published file is never replaced: release a new version");
    });
    assertThat(stage(blocked.stages(), "upload").attempts()).as("a conflict is not retried").isEqualTo(1);
    assertThat(digestsIn(folder)).isEqualTo(before);
    assertThat(digestsIn(sftp.root().resolve("srv/releases/1.0.0"))).isEqualTo(sftpBefore);
    assertThat(digestsIn(s3.objectFile("releases", "hello/1.0.0"))).isEqualTo(s3Before);
    second.abort(new OperatorAction("upload", "erin", "files differ from the published release"));
  }

  @Test
  void aDryRunStagesAndVerifiesOnEveryTargetButPublishesNothing() throws Exception {
    startWorkers();
    ReleaseResult result = run("release-hello-1.0.0-dry-run",
        ReleaseRequest.of(spec()).asDryRun());

    assertThat(result.published()).isEmpty();
    int files = published(result).size();
    assertThat(stage(result, "upload").detail()).isEqualTo("dry run: " + 3 * files + " file(s) staged, verified and"
        + " removed on 3 target(s); nothing published");
    assertThat(digestsIn(folder)).isEmpty();
    assertThat(digestsIn(sftp.root().resolve("srv/releases/1.0.0"))).isEmpty();
    assertThat(s3.client().listObjectsV2(b -> b.bucket("releases")).contents()).isEmpty();
  }

  @Test
  void aConnectionDroppedInTheMiddleOfAFileIsRetriedAndEndsWithTheWholeFile() throws Exception {
    // a large file, so that the release's archive is well beyond the point where the connection drops
    byte[] noise = new byte[384 << 10];
    new Random(7).nextBytes(noise);
    repo.writeFile("data.txt", java.util.HexFormat.of().formatHex(noise)).commitAll("data");
    repo.tag(SampleRepository.TAG);
    // the first connection looks for the release on the target (findPublished), the second uploads
    try (DroppingProxy proxy = DroppingProxy.start(sftp.port(), 64 << 10, 2)) {
      policy(sftpUrl(proxy.port()), "hostKey: \"" + sftp.hostKeyFingerprint() + "\"");
      startWorkers();
      ReleaseResult result = run("release-hello-1.0.0", ReleaseRequest.of(spec()));

      assertThat(proxy.connections()).isEqualTo(3);
      assertThat(stage(result, "upload").attempts()).isEqualTo(2);
      ArtifactRef archive = result.artifacts().stream().filter(a -> a.name().equals("hello-1.0.0.tar.gz"))
          .findFirst().orElseThrow();
      assertThat(archive.size()).isGreaterThan(256 << 10);
      Map<String, String> onServer = digestsIn(sftp.root().resolve("srv/releases/1.0.0"));
      assertThat(onServer).isEqualTo(digests(published(result)));
    }
  }

  @Test
  void anAbortedReleaseRemovesWhatItStagedBeforeItsUploadBlocked() throws Exception {
    // the folder takes the files; the WebDAV server makes the staging folder, then refuses the upload: the upload
    // blocks with every file staged in the folder
    try (WebDavServer dav = WebDavServer.start(tmp.resolve("dav"), "dav-secret")) {
      dav.refusePuts();
      ReleaseWorkflow workflow = releaseToTheFolderAndTheWebDavServer(dav);
      ReleaseStatus blocked = Releases.awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
      assertThat(blocked.blocked()).singleElement().satisfies(b -> {
        assertThat(b.stage()).isEqualTo("upload");
        assertThat(b.reason()).contains("the server refused");
      });
      String staging = ".staging-" + WorkflowStub.fromTyped(workflow).getExecution().getRunId();
      assertThat(digestsIn(folder)).containsOnlyKeys(staging);
      assertThat(digestsIn(dav.root().resolve("releases"))).containsOnlyKeys(staging);

      workflow.abort(new OperatorAction("upload", "erin", "no room on the server"));
      assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class))
          .rootCause().hasMessageContaining("release aborted by erin at upload (no room on the server); nothing was"
              + " published', type='ReleaseAborted'");
      assertThat(digestsIn(folder)).isEmpty();
      assertThat(digestsIn(dav.root().resolve("releases"))).isEmpty();
    }
  }

  @Test
  void anAbortedReleaseTakesBackWhatItsBlockedUploadHadMovedIntoPlace() throws Exception {
    // the folder takes every file into place; the WebDAV server takes the staged files, then refuses to move them:
    // the upload blocks with the whole release public in the folder
    try (WebDavServer dav = WebDavServer.start(tmp.resolve("dav"), "dav-secret")) {
      dav.refuseMoves();
      ReleaseWorkflow workflow = releaseToTheFolderAndTheWebDavServer(dav);
      ReleaseStatus blocked = Releases.awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
      assertThat(blocked.blocked()).singleElement().satisfies(b -> assertThat(b.reason()).contains("HTTP 403"));
      assertThat(digestsIn(folder)).containsKeys("hello-1.0.0.tar.gz", "release.json");

      workflow.abort(new OperatorAction("upload", "erin", "the server refuses renames"));
      assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class))
          .rootCause().hasMessageContaining("release aborted by erin at upload (the server refuses renames); nothing"
              + " was published', type='ReleaseAborted'");
      assertThat(digestsIn(folder)).as("an aborted release leaves nothing").isEmpty();
      assertThat(digestsIn(dav.root().resolve("releases"))).isEmpty();
    }
  }

  private ReleaseResult run(String workflowId, ReleaseRequest request) {
    ReleaseWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(workflowId).build());
    WorkflowClient.start(workflow::run, request);
    return WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
  }

  /**
   * The workers' policy: three targets granted to hello, a folder, the SFTP server (at {@code sftpUrl}) and the S3
   * store, with their credentials; hello is signed in dev mode.
   */
  private void policy(String sftpUrl, String hostKeyCheck) {
    usePolicy("""
        projects:
          hello: {repositories: ["**"], signing: {mode: dev}}
        targets:
          folder: {url: "%s", projects: [hello]}
          sftp:
            url: "%s"
            key: "file:%s"
            %s
            projects: [hello]
          s3:
            url: s3://releases/{project}/{version}/
            endpoint: "%s"
            pathStyle: true
            accessKeyId: "file:%s"
            secretAccessKey: "file:%s"
            projects: [hello]
        """.formatted(folder.toUri(), sftpUrl, clientKey, hostKeyCheck, s3.endpoint(), tmp.resolve("s3-key"),
        tmp.resolve("s3-secret")));
  }

  /** The sample spec, asking for the three targets by name. */
  private ReleaseSpec spec() throws Exception {
    String yaml = Files.readString(repo.dir().resolve("release.yaml")) + "upload: [folder, sftp, s3]\n";
    return SpecLoader.load(yaml, "release.yaml", new SpecLoader.Overrides(repo.url(), null));
  }

  private static String sftpUrl(int port) {
    return "sftp://release@127.0.0.1:" + port + "/srv/releases/1.0.0/";
  }

  /** Every file the release publishes: its artifacts, then the manifest. */
  private static List<ArtifactRef> published(ReleaseResult result) {
    List<ArtifactRef> files = new ArrayList<>(result.artifacts());
    files.add(result.checksums());
    files.add(result.manifest());
    return files;
  }

  private static Map<String, String> digests(List<ArtifactRef> files) {
    Map<String, String> digests = new TreeMap<>();
    files.forEach(f -> digests.put(f.name(), f.sha256()));
    return digests;
  }

  /** Name to digest of everything in a folder, staging folders included (there must be none). */
  private static Map<String, String> digestsIn(Path dir) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return digests;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        digests.put(p.getFileName().toString(), Files.isDirectory(p) ? "folder" : Digests.sha256Hex(p));
      }
    }
    return digests;
  }

  private static StageStatus stage(ReleaseResult result, String id) {
    return stage(result.stages(), id);
  }

  private static StageStatus stage(List<StageStatus> stages, String id) {
    return stages.stream().filter(s -> s.stage().equals(id)).findFirst().orElseThrow();
  }

  /** Starts the sample's release to two targets: the folder and the WebDAV server (its password in a file). */
  private ReleaseWorkflow releaseToTheFolderAndTheWebDavServer(WebDavServer dav) throws Exception {
    Files.writeString(tmp.resolve("dav-password"), "dav-secret");
    usePolicy("""
        projects:
          hello: {repositories: ["**"], signing: {mode: dev}}
        targets:
          folder: {url: "%s", projects: [hello]}
          dav: {url: "%s", password: "file:%s", projects: [hello]}
        """.formatted(folder.toUri(), dav.url("releases/"), tmp.resolve("dav-password")));
    String yaml = Files.readString(repo.dir().resolve("release.yaml")) + "upload: [folder, dav]\n";
    startWorkers();
    return Releases.start(env.getWorkflowClient(), "release-hello-1.0.0",
        SpecLoader.load(yaml, "release.yaml", new SpecLoader.Overrides(repo.url(), null)));
  }
}
