package dev.durablerelease.worker;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.store.LocalArtifactStore;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** What release tests do over and over: a worker's context, starting a release, waiting for a state. */
public final class Releases {
  private Releases() {}

  /** A worker host with a local store under {@code dir/store} and its own folder {@code dir/work}. */
  public static WorkerContext localWorker(Path dir, String identity) throws IOException {
    return new WorkerContext(new LocalArtifactStore(dir.resolve("store")), Files.createDirectories(dir.resolve("work")),
        identity);
  }

  /** Starts a release without waiting for it. */
  public static ReleaseWorkflow start(WorkflowClient client, String workflowId, ReleaseSpec spec) {
    return start(client, workflowId, ReleaseRequest.of(spec));
  }

  /** Starts a release from a request (e.g. a resuming one) without waiting for it. */
  public static ReleaseWorkflow start(WorkflowClient client, String workflowId, ReleaseRequest request) {
    ReleaseWorkflow workflow = client.newWorkflowStub(ReleaseWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(workflowId).build());
    WorkflowClient.start(workflow::run, request);
    return workflow;
  }

  /** A condition a test waits for. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls until the condition holds (two minutes at most). */
  public static void await(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Polls the status query until the condition holds (two minutes at most). */
  public static ReleaseStatus awaitStatus(ReleaseWorkflow workflow, Predicate<ReleaseStatus> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      ReleaseStatus status = workflow.status();
      if (condition.test(status)) {
        return status;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("status never matched; last: " + workflow.status());
  }
}
