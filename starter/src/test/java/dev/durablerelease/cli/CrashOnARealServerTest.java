package dev.durablerelease.cli;

import static dev.durablerelease.worker.Releases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.WebDavServer;
import dev.durablerelease.worker.DevServer;
import dev.durablerelease.worker.TemporalConnection;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code release run} on the Temporal CLI's dev server, crashed twice mid-release: the process holding the workers
 * killed with kill -9 (the same command run again continues the release from its history), then the dev server itself
 * killed with kill -9 (the run starts it again on the same SQLite file and carries on). The release completes with no
 * finished stage run again and no file sent twice.
 */
class CrashOnARealServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "release-hello-1.0.0";

  @TempDir
  Path tmp;

  private WebDavServer dav;
  private SampleRepository repo;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    dav = WebDavServer.start(tmp.resolve("dav"), "dav-secret");
    Files.writeString(tmp.resolve("dav-password"), "dav-secret");
    repo = SampleRepository.create(tmp.resolve("hello"));
  }

  @AfterEach
  void tearDown() throws Exception {
    processes.forEach(Process::destroyForcibly);
    server().ifPresent(s -> ProcessHandle.of(s.path("pid").asLong()).ifPresent(ProcessHandle::destroyForcibly));
    dav.close();
    repo.close();
  }

  @Test
  void aReleaseOutlivesAKilledRunAndAKilledServer() throws Exception {
    // the tests take a few seconds, so that both crashes fall inside a stage
    Path spec = Files.writeString(tmp.resolve("release.yaml"), Files.readString(repo.dir().resolve("release.yaml"))
        .replace("command: make test", "command: \"sleep 6 && make test\"") + "upload: [dav]\n");
    Files.writeString(tmp.resolve("policy.yaml"), """
        projects:
          hello: {repositories: ["**"], signing: {mode: dev}}
        targets:
          dav: {url: "%s", password: "file:%s", projects: [hello]}
        """.formatted(dav.url("releases/{version}/"), tmp.resolve("dav-password")));

    Process first = run(spec, "first-run.log");
    awaitLine(tmp.resolve("first-run.log"), "running   testSource");
    // this test uses the server the run started, as a second process on the same store does: it stays up for it
    try (DevServer shared = DevServer.open(RequiredTools.temporal(), tmp.resolve("store/temporal"), 0, 0)) {
      long serverPid = shared.pid();
      first.destroyForcibly().waitFor(); // kill -9 of the process holding the workers (and, first, the server)
      assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive)).as("the dev server outlives its starter")
          .contains(true);

      Process second = run(spec, "second-run.log");
      awaitLine(tmp.resolve("second-run.log"), "continuing it from its history");
      WorkflowServiceStubs stubs = TemporalConnection.embedded(shared.target()).connect();
      try {
        // the first run's test attempt times out (its worker is gone) and runs again on the second run's workers
        await("the second attempt of testSource to heartbeat", () -> {
          assertThat(second.isAlive()).as(Files.readString(tmp.resolve("second-run.log"))).isTrue();
          return testSource(stubs).filter(a -> a.getAttempt() == 2 && a.hasHeartbeatDetails()).isPresent();
        });
        ProcessHandle.of(serverPid).orElseThrow().destroyForcibly(); // kill -9 of the dev server, mid-stage
        assertThat(second.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(tmp.resolve("second-run.log"));
        assertThat(second.exitValue()).as(output).isZero();
        assertThat(output).contains("released hello 1.0.0");
        assertThat(shared.pid()).as("a new server process").isNotEqualTo(serverPid);
        assertThat(shared.database()).isEqualTo(tmp.resolve("store/temporal/temporal.sqlite"));

        // both runs' workers served one workflow run, whose history says what ran
        WorkflowClient client = TemporalConnection.embedded(shared.target()).client(stubs);
        assertThat(RealTemporal.stagesDone(client, ID)).isEqualTo(RealTemporal.ONCE_EACH);
        JsonNode release = JSON.readTree(tmp.resolve("out/release.json").toFile());
        JsonNode test = null;
        for (JsonNode stage : release.path("stages")) {
          test = stage.path("stage").asText().equals("testSource") ? stage : test;
        }
        assertThat(test.path("attempts").asInt()).as("the attempt the kill cut short, and the one that passed")
            .isEqualTo(2);
      } finally {
        stubs.shutdown();
      }
    }
    // this test was the last user of the server: closing stopped it
    assertThat(tmp.resolve("store/temporal/dev-server.json")).doesNotExist();
    Map<String, Long> sent = dav.storedPuts().stream().filter(p -> p.startsWith("/releases/1.0.0/"))
        .collect(Collectors.groupingBy(p -> p.substring(p.lastIndexOf('/') + 1), TreeMap::new,
            Collectors.counting()));
    assertThat(sent).containsKeys("hello-1.0.0.tar.gz", "release.json")
        .allSatisfy((file, times) -> assertThat(times).as(file).isEqualTo(1L));
  }

  /** {@code release run} in a process of its own with the Temporal CLI, as a user runs it; output to a log. */
  private Process run(Path spec, String log) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReleaseCli.class.getName(), "run", "--spec", spec.toString(),
        "--repository", repo.url(), "--store", tmp.resolve("store").toString(),
        "--work-dir", tmp.resolve("work").toString(), "--out", tmp.resolve("out").toString(),
        "--policy", tmp.resolve("policy.yaml").toString(),
        "--temporal-cli", RequiredTools.temporal().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(log).toFile());
    pb.environment().remove("TEMPORAL_ADDRESS");
    Process process = pb.start();
    processes.add(process);
    return process;
  }

  private static void awaitLine(Path log, String line) throws Exception {
    await("\"" + line + "\" in " + log.getFileName(), () -> Files.exists(log) && Files.readString(log).contains(line));
  }

  /** What dev-server.json in the store says of the running dev server. */
  private Optional<JsonNode> server() throws Exception {
    Path state = tmp.resolve("store/temporal/dev-server.json");
    return Files.exists(state) ? Optional.of(JSON.readTree(state.toFile())) : Optional.empty();
  }

  private static Optional<PendingActivityInfo> testSource(WorkflowServiceStubs stubs) {
    return stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(ID)).build())
        .getPendingActivitiesList().stream()
        .filter(a -> a.getActivityType().getName().equals("testSource")).findFirst();
  }
}
