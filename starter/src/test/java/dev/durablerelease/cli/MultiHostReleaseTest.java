package dev.durablerelease.cli;

import static dev.durablerelease.worker.Releases.await;
import static dev.durablerelease.worker.Releases.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.CachingArtifactStore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.store.S3ArtifactStore;
import dev.durablerelease.testing.S3ProxyServer;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.worker.LoopbackTemporal;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.Releases;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers on several hosts: each trust domain served by its own worker with its own empty working folder, sharing
 * only the Temporal server and an S3-compatible store (s3proxy on loopback).
 */
class MultiHostReleaseTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private S3ProxyServer s3;
  private LoopbackTemporal temporal;
  private SampleRepository repo;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")));
    try (var admin = s3.client()) {
      admin.createBucket(b -> b.bucket("releases"));
    }
    temporal = LoopbackTemporal.start();
    repo = SampleRepository.create(tmp.resolve("hello"));
  }

  @AfterEach
  void tearDown() throws Exception {
    processes.forEach(Process::destroyForcibly);
    temporal.close();
    s3.close();
    repo.close();
  }

  private String storeUrl() {
    return "s3://releases/store?endpoint=" + s3.endpoint() + "&pathStyle=true&region=us-east-1";
  }

  /** The sample's spec, published to {@code published}: a folder under the test's folder, the target's root. */
  private String spec(Path published) throws Exception {
    return Files.readString(repo.dir().resolve("release.yaml"))
        + "upload: [{target: published, path: \"" + tmp.relativize(published) + "/\"}]\n";
  }

  /** The built-in dev policy's target {@code published}, at the test's folder. */
  private String publishedTarget() {
    return "published=" + tmp;
  }

  /** A worker host: its own JVM, its own empty working folder, only the given queues. */
  private Path startWorkerProcess(String name, String queues) throws Exception {
    Path work = tmp.resolve(name);
    Path log = tmp.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReleaseCli.class.getName(), "worker", "--queues", queues,
        "--store", storeUrl(), "--work-dir", work.toString(), "--dev-policy", "--target", publishedTarget())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TEMPORAL_ADDRESS", temporal.target());
    pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    processes.add(pb.start());
    await("worker " + name + " to start", () -> Files.exists(log) && Files.readString(log).contains("serving "));
    return work;
  }

  /** A worker host inside this JVM, with its own folder and its own cache in front of the shared bucket. */
  private WorkerContext host(String name) throws Exception {
    Path work = Files.createDirectories(tmp.resolve(name));
    ArtifactStore store = new CachingArtifactStore(new S3ArtifactStore(s3.client(), "releases", "store/"),
        work.resolve("blob-cache"), 256 << 20);
    return new WorkerContext(store, work, name)
        .withPolicy(Policy.builtInDev(Map.of("published", tmp.toUri().toString())));
  }

  @Test
  void releaseByThreeWorkerHostsMatchesASingleProcessRun() throws Exception {
    Path source = startWorkerProcess("source-host", "workflows,source,build,docs");
    Path sign = startWorkerProcess("sign-host", "sign");
    Path upload = startWorkerProcess("upload-host", "upload");
    Map<String, String> env = new HashMap<>(Map.of("TEMPORAL_ADDRESS", temporal.target()));
    Path specFile = Files.writeString(tmp.resolve("multi.yaml"), spec(tmp.resolve("published-multi")));
    CliRun multi = CliRun.of(env, "run", "--spec", specFile.toString(), "--repository", repo.url(),
        "--store", tmp.resolve("client-store").toString());
    assertThat(multi.exitCode()).as(multi.toString()).isZero();

    Path singleSpec = Files.writeString(tmp.resolve("single.yaml"), spec(tmp.resolve("published-single")));
    CliRun single = CliRun.of(Map.of(), "run", "--spec", singleSpec.toString(), "--repository", repo.url(),
        "--store", tmp.resolve("single-store").toString(), "--work-dir", tmp.resolve("single-work").toString(),
        "--target", publishedTarget());
    assertThat(single.exitCode()).as(single.toString()).isZero();

    // what a release is made of is the same bytes however its stages were spread; signatures, provenance and the
    // manifest name their own run, so they differ by design
    Predicate<Path> deterministic = p -> p.toString().endsWith(".tar.gz") || p.toString().endsWith(".spdx.json")
        || p.toString().endsWith(".cdx.json");
    Map<String, String> multiFiles = digests(tmp.resolve("published-multi"), deterministic);
    assertThat(multiFiles).containsKeys("hello-1.0.0.tar.gz", "hello-1.0.0.tar.gz.spdx.json", "hello-1.0.0.tar.gz.cdx.json",
        "hello-1.0.0-docs-html.tar.gz");
    assertThat(multiFiles).isEqualTo(digests(tmp.resolve("published-single"), deterministic));

    JsonNode manifest = JSON.readTree(tmp.resolve("published-multi/release.json").toFile());
    Map<String, String> workerOf = new HashMap<>();
    manifest.get("stages").forEach(s -> workerOf.put(s.get("stage").asText(), s.path("worker").asText()));
    assertThat(workerOf.get("sign")).isNotEqualTo(workerOf.get("checkout"));
    assertThat(workerOf.get("testSource")).isEqualTo(workerOf.get("checkout"));
    // trust domains: the signing and upload hosts never fetched the repository
    assertThat(source.resolve("git")).isDirectory();
    assertThat(sign.resolve("git")).doesNotExist();
    assertThat(upload.resolve("git")).doesNotExist();
  }

  @Test
  void blobCorruptedInTheBucketBetweenStagesIsCaughtByTheReaderAndBlocksTheRelease() throws Exception {
    temporal.serve(host("build-host"),
        List.of(TaskQueues.WORKFLOWS, TaskQueues.SOURCE, TaskQueues.BUILD, TaskQueues.DOCS));
    temporal.serve(host("sign-host"), List.of(TaskQueues.SIGN, TaskQueues.UPLOAD));
    String yaml = spec(tmp.resolve("published")).replace("command: make test", "command: sleep 3 && make test");
    ReleaseWorkflow workflow = start("release-hello-1.0.0", yaml);

    awaitStatus(workflow, s -> stageState(s, "buildSource") == StageState.SUCCEEDED);
    // behind every worker's back, while the tests run: the build host keeps its own copies, the sign host has none
    List<String> digests = new ArrayList<>();
    for (String blob : s3Objects()) {
      Files.writeString(s3.objectFile("releases", blob), "not what was stored");
      digests.add(blob.substring(blob.lastIndexOf('/') + 1));
    }

    ReleaseStatus blocked = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("sign");
      assertThat(b.reason()).contains("s3://releases/store/").contains("altered or corrupted");
      assertThat(digests).anySatisfy(digest -> assertThat(b.reason()).contains("blob sha256:" + digest));
    });
    assertThat(tmp.resolve("published")).doesNotExist();
    workflow.abort(new dev.durablerelease.workflow.OperatorAction(null, "tester", "corrupted store"));
  }

  @Test
  void twoReleasesOfDifferentProjectsAtOnceOnOneStoreKeepToTheirOwnFiles() throws Exception {
    WorkerContext host = host("shared-host");
    temporal.serve(host, ReleaseWorkers.ALL_QUEUES);
    ReleaseWorkflow hello = start("release-hello-1.0.0", spec(tmp.resolve("published-hello")));
    ReleaseWorkflow greet = start("release-greet-1.0.0", spec(tmp.resolve("published-greet"))
        .replace("project: hello", "project: greet"));
    CompletableFuture<ReleaseResult> helloResult = WorkflowStub.fromTyped(hello).getResultAsync(ReleaseResult.class);
    CompletableFuture<ReleaseResult> greetResult = WorkflowStub.fromTyped(greet).getResultAsync(ReleaseResult.class);

    for (ReleaseResult result : List.of(helloResult.get(), greetResult.get())) {
      String project = result.project();
      String other = project.equals("hello") ? "greet" : "hello";
      assertThat(result.artifacts()).extracting(ArtifactRef::name)
          .anySatisfy(name -> assertThat(name).isEqualTo(project + "-1.0.0.tar.gz"))
          .allSatisfy(name -> assertThat(name).doesNotContain(other));
      for (ArtifactRef artifact : result.artifacts()) {
        Path copy = tmp.resolve("check").resolve(project).resolve(artifact.name());
        host.store().copyTo(artifact, copy);
        assertThat(Digests.sha256Hex(copy)).isEqualTo(artifact.sha256());
      }
      Path published = tmp.resolve("published-" + project);
      assertThat(digests(published, p -> !p.getFileName().toString().equals("release.json")
          && !p.getFileName().toString().equals("SHA256SUMS")))
          .allSatisfy((name, digest) -> assertThat(result.artifacts()).anySatisfy(a -> {
            assertThat(a.name()).isEqualTo(name);
            assertThat(a.sha256()).isEqualTo(digest);
          }));
    }
  }

  private ReleaseWorkflow start(String id, String yaml) throws Exception {
    return Releases.start(temporal.client(), id, SpecLoader.load(yaml, "release.yaml",
        new SpecLoader.Overrides(repo.url(), null)));
  }

  private List<String> s3Objects() {
    try (var admin = s3.client()) {
      return admin.listObjectsV2(b -> b.bucket("releases").prefix("store/blobs/")).contents().stream()
          .map(o -> o.key()).toList();
    }
  }

  private static StageState stageState(ReleaseStatus status, String stage) {
    return status.stages().stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow().state();
  }

  private static Map<String, String> digests(Path folder, Predicate<Path> which) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(Files::isRegularFile).filter(which).toList()) {
        digests.put(file.getFileName().toString(), Digests.sha256Hex(file));
      }
    }
    return digests;
  }
}
