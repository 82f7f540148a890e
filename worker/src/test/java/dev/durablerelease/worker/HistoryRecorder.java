package dev.durablerelease.worker;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.spec.SpecLoader;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Records the event histories that {@link ReplayTest} replays: a release that succeeded (signed, approved, published),
 * one blocked then retried, one with a skipped stage, one aborted, one aborted while its upload was blocked, one run
 * again after it was published, and one aborted automatically (no terminal to ask) while its upload was blocked. Run
 * it after a deliberate workflow change (guarded by {@code Workflow.getVersion}) to add histories of the new shape,
 * naming only those; never re-record the old ones, they stand for releases already running.
 *
 * <pre>mvn -q -pl worker -am test-compile && java -cp "$(cat worker/target/test-classpath.txt)" \
 *   dev.durablerelease.worker.HistoryRecorder worker/src/test/resources/histories [NAME,...]</pre>
 */
public final class HistoryRecorder {
  private HistoryRecorder() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "worker/src/test/resources/histories");
    wanted = args.length > 1 ? Set.of(args[1].split(",")) : null;
    Files.createDirectories(out);
    Path tmp = Files.createTempDirectory("durable-release-histories");
    String base = Files.readString(SampleRepository.projectFolder().resolve("release.yaml"));
    String upload = "upload: [{url: \"" + tmp.resolve("published").toUri() + "\"}]\n";

    record(out, tmp, "succeeded", base + upload + "approval: {approvers: [erin]}\n", "1.0.0", workflow -> {
      await(workflow, ReleaseState.WAITING_FOR_APPROVAL);
      workflow.approve(new OperatorAction(null, "erin", "artifacts checked"));
    });
    record(out, tmp, "blocked-then-retried", "project: hello\nversion: 1.0.1\n", "1.0.1", workflow -> {
      await(workflow, ReleaseState.BLOCKED);
      repo.tag("v1.0.1");
      workflow.retry(new OperatorAction(null, "alice", "pushed the tag"));
    });
    record(out, tmp, "skipped", "project: hello\nversion: 1.0.0\n"
        + "docs: {command: \"exit 4\", outputs: [docs/_build/html], skippable: true}\n", "1.0.0", workflow -> {
          await(workflow, ReleaseState.BLOCKED);
          workflow.skip(new OperatorAction("buildDocs", "bob", "docs host down"));
        });
    record(out, tmp, "aborted", "project: hello\nversion: 1.0.0\ntest: {command: \"exit 1\"}\n", "1.0.0",
        workflow -> {
          await(workflow, ReleaseState.BLOCKED);
          workflow.abort(new OperatorAction(null, "carol", "broken build"));
        });
    // a target inside a regular file: every write fails, so the upload blocks; the abort then removes its staging
    Path notAFolder = Files.writeString(tmp.resolve("not-a-folder"), "");
    record(out, tmp, "aborted-at-upload", base + "upload: [{url: \"" + notAFolder.toUri() + "/releases/\"}]\n",
        "1.0.0", workflow -> {
          await(workflow, ReleaseState.BLOCKED);
          workflow.abort(new OperatorAction("upload", "dave", "target unusable"));
        });
    // since findPublished: a release run again after it was published makes nothing
    String published = "upload: [{url: \"" + tmp.resolve("published-again").toUri() + "\"}]\n";
    record(out, tmp, "published-again", base + published, "1.0.0", true, workflow -> { });
    // since findPublished and automatic decisions: release run with no terminal aborts a blocked upload on its own
    Path stillNotAFolder = Files.writeString(tmp.resolve("still-not-a-folder"), "");
    record(out, tmp, "aborted-automatically", base + "upload: [{url: \"" + stillNotAFolder.toUri()
        + "/releases/\"}]\n", "1.0.0", false, workflow -> {
          await(workflow, ReleaseState.BLOCKED);
          workflow.abort(OperatorAction.automatic("upload", "dave", "no terminal to ask what to do"));
        });
    System.out.println("histories written to " + out);
    System.exit(0);
  }

  private static SampleRepository repo;
  /** The histories to record; null for all. */
  private static Set<String> wanted;

  private static void record(Path out, Path tmp, String name, String yaml, String version,
      Consumer<ReleaseWorkflow> operator) throws Exception {
    record(out, tmp, name, yaml, version, false, operator);
  }

  /** @param runBefore whether the release runs once to its end before the run that is recorded */
  private static void record(Path out, Path tmp, String name, String yaml, String version, boolean runBefore,
      Consumer<ReleaseWorkflow> operator) throws Exception {
    if (wanted != null && !wanted.contains(name)) {
      return;
    }
    Path dir = tmp.resolve(name);
    repo = SampleRepository.create(dir.resolve("hello"));
    try (TestWorkflowEnvironment env = ReleaseTestEnvironment.create()) {
      WorkerContext context = Releases.localWorker(dir, "history-recorder");
      ReleaseWorkers.register(env.getWorkerFactory(), context, ReleaseWorkers.ALL_QUEUES);
      env.start();
      String id = "release-hello-" + name;
      ReleaseRequest request = ReleaseRequest.of(SpecLoader.load(yaml, "release.yaml",
          new SpecLoader.Overrides(repo.url(), version)));
      if (runBefore) {
        ReleaseWorkflow before = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(id + "-before").build());
        before.run(request);
      }
      ReleaseWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(id).build());
      WorkflowClient.start(workflow::run, request);
      operator.accept(workflow);
      try {
        WorkflowStub.fromTyped(workflow).getResult(Object.class);
      } catch (RuntimeException e) {
        // the aborted release ends in failure; its history is what we want
      }
      Files.writeString(out.resolve(name + ".json"), env.getWorkflowClient().fetchHistory(id).toJson(true),
          StandardCharsets.UTF_8);
    } finally {
      repo.close();
    }
  }

  private static void await(ReleaseWorkflow workflow, ReleaseState state) {
    try {
      while (workflow.status().state() != state) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
