package dev.durablerelease.cli;

import static dev.durablerelease.worker.Releases.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.TestPolicies;
import dev.durablerelease.worker.LoopbackTemporal;
import dev.durablerelease.worker.Releases;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowStub;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build worker process killed (kill -9) under a three-minute test command: its sandboxed command dies with it, the
 * heartbeat timeout hands the attempt to a worker process started afterwards, and the release completes. Takes about
 * 3.5 minutes: heartbeat timeout (30 s) plus the command run again in full.
 */
class WorkerRestartTest {
  private static final String WORKFLOW_ID = "release-hello-restart";

  @TempDir
  Path tmp;

  private LoopbackTemporal temporal;
  private SampleRepository repo;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    temporal = LoopbackTemporal.start();
    repo = SampleRepository.create(tmp.resolve("hello"));
  }

  @AfterEach
  void tearDown() {
    processes.forEach(Process::destroyForcibly);
    temporal.close();
    repo.close();
  }

  /** A worker host serving only the build queue, in a JVM of its own, sharing the store folder with this one. */
  private Process buildWorker(String name) throws Exception {
    Path log = tmp.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReleaseCli.class.getName(), "worker", "--queues", "build",
        "--store", tmp.resolve("store").toString(), "--work-dir", tmp.resolve(name).toString(), "--dev-policy")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TEMPORAL_ADDRESS", temporal.target());
    Process process = pb.start();
    processes.add(process);
    await("worker " + name + " to start", () -> Files.readString(log).contains("serving release-build"));
    return process;
  }

  private boolean testSourceHeartbeated() {
    return temporal.stubs().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(WORKFLOW_ID)).build())
        .getPendingActivitiesList().stream()
        .anyMatch(a -> a.getActivityType().getName().equals("testSource") && a.hasHeartbeatDetails());
  }

  @Test
  void killedBuildWorkerIsReplacedAndTheReleaseCompletes() throws Exception {
    // every domain but build on this host; its policy releases hello unsigned, since signing is not the point here
    WorkerContext engine = Releases.localWorker(tmp, "engine-host")
        .withPolicy(TestPolicies.of("projects:\n  hello: {repositories: [\"**\"]}\n"));
    temporal.serve(engine, List.of(TaskQueues.WORKFLOWS, TaskQueues.SOURCE, TaskQueues.DOCS, TaskQueues.SIGN));
    Process first = buildWorker("build-host-1");

    // 12 steps of about 2.5 s: long enough to be killed mid-way after its first heartbeat (every 5 s), short enough
    // to run whole again on the new worker; the odd sleep length marks its processes
    String sleep = "2.5" + ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
    String yaml = Files.readString(repo.dir().resolve("release.yaml"))
        .replace("command: make test", "command: \"for i in $(seq 12); do echo step $i; sleep " + sleep + "; done\"")
        .replace("timeout: 5m", "timeout: 10m");
    ReleaseWorkflow workflow = Releases.start(temporal.client(), WORKFLOW_ID,
        SpecLoader.load(yaml, "release.yaml", new SpecLoader.Overrides(repo.url(), null)));

    await("a heartbeat from the running test command", this::testSourceHeartbeated);
    assertThat(commandProcesses(sleep)).isNotEmpty();
    first.destroyForcibly().waitFor(); // kill -9
    await("the sandboxed command to die with its worker", () -> commandProcesses(sleep).isEmpty());
    Process second = buildWorker("build-host-2");
    // the new worker cleared the dead one's run folder
    try (var runs = Files.list(engine.commands().runsRoot())) {
      assertThat(runs.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(first.pid() + "-"));
    }

    ReleaseResult result = WorkflowStub.fromTyped(workflow).getResult(6, TimeUnit.MINUTES, ReleaseResult.class);
    StageStatus test = result.stages().stream().filter(s -> s.stage().equals("testSource")).findFirst()
        .orElseThrow();
    assertThat(test.state()).isEqualTo(StageState.SUCCEEDED);
    assertThat(test.attempts()).isEqualTo(2);
    assertThat(test.worker()).startsWith(second.pid() + "@");
    assertThat(test.sandbox()).isEqualTo("bubblewrap");
    ArtifactRef log = result.logs().stream().filter(l -> l.name().endsWith("testSource.log")).findFirst()
        .orElseThrow();
    try (InputStream in = engine.store().open(log.sha256())) {
      assertThat(new String(in.readAllBytes())).startsWith("step 1\n").endsWith("step 12\n");
    }
  }

  private static List<ProcessHandle> commandProcesses(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }
}
