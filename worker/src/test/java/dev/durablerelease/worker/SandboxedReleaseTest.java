package dev.durablerelease.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activities.BuildActivitiesImpl;
import dev.durablerelease.activity.BuildActivities;
import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.DocsActivities;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.command.BrokenSandbox;
import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Project code in whole releases: sandboxed, marked when it is not, stopped when the release is cancelled. */
class SandboxedReleaseTest extends SampleReleaseTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void unsignedReleases() {
    // signing is not what these tests are about: a policy that releases hello unsigned
    usePolicy("projects:\n  hello: {repositories: [\"**\"]}\n");
  }

  /** The sample's spec with another test command. */
  private ReleaseSpec spec(String testCommand) throws Exception {
    String yaml = Files.readString(repo.dir().resolve("release.yaml"))
        .replace("command: make test", "command: \"" + testCommand + "\"");
    return SpecLoader.load(yaml, "release.yaml", new SpecLoader.Overrides(repo.url(), null));
  }

  private ReleaseResult run(String workflowId, ReleaseSpec spec) {
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), workflowId, spec);
    return WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
  }

  private JsonNode json(ArtifactRef ref) throws IOException {
    try (InputStream in = context.store().open(ref.sha256())) {
      return JSON.readTree(in);
    }
  }

  private JsonNode provenance(ReleaseResult result) throws IOException {
    return json(result.artifacts().stream().filter(a -> a.name().equals("provenance.intoto.json")).findFirst()
        .orElseThrow());
  }

  private static String sandboxOf(JsonNode provenance, String stage) {
    for (JsonNode byproduct : provenance.get("predicate").get("runDetails").get("byproducts")) {
      if (byproduct.get("name").asText().equals("stage:" + stage)) {
        JsonNode sandbox = byproduct.get("annotations").get("sandbox");
        return sandbox == null ? null : sandbox.asText();
      }
    }
    throw new AssertionError("no stage " + stage + " in the provenance");
  }

  @Test
  void sandboxedReleaseSaysSoInReleaseJsonAndProvenance() throws Exception {
    ReleaseWorkers.register(env.getWorkerFactory(), context, ReleaseWorkers.ALL_QUEUES);
    env.start();
    ReleaseResult result = run("release-sandboxed", spec("make test && ! ls /root 2>/dev/null"));

    JsonNode manifest = json(result.manifest());
    assertThat(manifest.get("sandboxed").asBoolean()).isTrue();
    assertThat(stage(manifest, "testSource").get("sandbox").asText()).isEqualTo("bubblewrap");
    assertThat(stage(manifest, "buildDocs").get("sandbox").asText()).isEqualTo("bubblewrap");
    assertThat(stage(manifest, "buildSource").has("sandbox")).isFalse();
    JsonNode provenance = provenance(result);
    assertThat(sandboxOf(provenance, "testSource")).isEqualTo("bubblewrap");
    assertThat(sandboxOf(provenance, "checkout")).isNull();
  }

  @Test
  void unsafeNoSandboxMarksEveryCommandResultUnsandboxed() throws Exception {
    ReleaseWorkers.register(env.getWorkerFactory(), context.withCommands(CommandRunner.unsandboxed()),
        ReleaseWorkers.ALL_QUEUES);
    env.start();
    ReleaseResult result = run("release-unsandboxed", spec("make test"));

    JsonNode manifest = json(result.manifest());
    assertThat(manifest.get("sandboxed").asBoolean()).isFalse();
    assertThat(stage(manifest, "testSource").get("sandbox").asText()).isEqualTo("none");
    assertThat(stage(manifest, "buildDocs").get("sandbox").asText()).isEqualTo("none");
    JsonNode provenance = provenance(result);
    assertThat(sandboxOf(provenance, "testSource")).isEqualTo("none");
    assertThat(sandboxOf(provenance, "buildDocs")).isEqualTo("none");
  }

  @Test
  void cancellingTheReleaseKillsTheSandboxedCommand() throws Exception {
    ReleaseWorkers.register(env.getWorkerFactory(), context, ReleaseWorkers.ALL_QUEUES);
    env.start();
    String marker = "300." + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-cancelled",
        spec("echo testing; sleep " + marker));
    Releases.await("the sandboxed test command to run", () -> !survivors(marker).isEmpty());

    long cancelled = System.nanoTime();
    WorkflowStub.fromTyped(workflow).cancel();
    // the activity learns of the cancellation from its next heartbeat's reply, and kills the tree
    Releases.await("the sandboxed command to be killed", () -> survivors(marker).isEmpty());
    assertThat((System.nanoTime() - cancelled) / 1_000_000).isLessThan(30_000);
  }

  @Test
  void aBuildWorkerWhoseSandboxBrokeIsRetriedAndBlocksOnlyWhenNoWorkerCanSandbox() throws Exception {
    // the only build worker's bubblewrap stopped working after it started (at start it would have refused to serve)
    List<String> others = ReleaseWorkers.ALL_QUEUES.stream().filter(q -> !q.equals(TaskQueues.BUILD)).toList();
    ReleaseWorkers.register(env.getWorkerFactory(), context, others);
    env.start();
    WorkerFactory broken = WorkerFactory.newInstance(env.getWorkflowClient());
    AtomicInteger attempts = new AtomicInteger();
    broken.newWorker(TaskQueues.BUILD).registerActivitiesImplementations(
        new BuildActivitiesImpl(context.withCommands(BrokenSandbox.runner())) {
          @Override
          public CommandReport testSource(CommandInput input) {
            attempts.incrementAndGet();
            return super.testSource(input);
          }
        });
    broken.start();

    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-broken-sandbox", spec("make test"));
    ReleaseStatus blocked = Releases.awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("testSource");
      assertThat(b.reason()).contains("this worker cannot run project code: bubblewrap does not start here");
    });
    assertThat(attempts).as("retried (each time on the broken worker) before blocking").hasValue(3);

    // a worker that can sandbox joins the queue, the broken one leaves: retry completes the release
    broken.shutdownNow();
    broken.awaitTermination(10, TimeUnit.SECONDS);
    WorkerFactory healthy = WorkerFactory.newInstance(env.getWorkflowClient());
    try {
      healthy.newWorker(TaskQueues.BUILD).registerActivitiesImplementations(new BuildActivitiesImpl(context));
      healthy.start();
      workflow.retry(new OperatorAction("testSource", "alice", "replaced the build host"));
      ReleaseResult result = WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
      assertThat(stage(json(result.manifest()), "testSource").get("sandbox").asText()).isEqualTo("bubblewrap");
    } finally {
      healthy.shutdownNow();
    }
  }

  @Test
  void onlyTheBuildAndDocsQueuesRegisterActivitiesThatRunProjectCode() {
    for (String queue : ReleaseWorkers.ALL_QUEUES) {
      if (queue.equals(TaskQueues.WORKFLOWS)) {
        continue;
      }
      Object activities = ReleaseWorkers.activities(queue, context);
      boolean runsCommands = activities instanceof BuildActivities || activities instanceof DocsActivities;
      assertThat(runsCommands).as(queue).isEqualTo(queue.equals(TaskQueues.BUILD) || queue.equals(TaskQueues.DOCS));
    }
  }

  private static JsonNode stage(JsonNode manifest, String id) {
    for (JsonNode stage : manifest.get("stages")) {
      if (stage.get("stage").asText().equals(id)) {
        return stage;
      }
    }
    throw new AssertionError("no stage " + id + " in release.json");
  }

  private static List<ProcessHandle> survivors(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }
}
