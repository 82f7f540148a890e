package dev.durablerelease.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.workflow.ReleaseWorkflowImpl;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded histories of releases (see {@link HistoryRecorder}) against today's workflow code: a change that
 * would break releases already running fails here. Change the workflow with {@code Workflow.getVersion}.
 */
class ReplayTest {

  @ParameterizedTest
  @ValueSource(strings = {"succeeded", "blocked-then-retried", "skipped", "aborted", "aborted-at-upload",
      "policy-approved", "policy-refused-then-aborted", "policy-skip-signed", "versions-prerelease-gated",
      "two-builders-agreed", "two-builders-disagreed-then-aborted", "policy-published-again",
      "policy-aborted-automatically"})
  void recordedReleaseReplaysDeterministically(String history) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      // replay proves determinism, not speed: the first replay of a JVM loads every class of the workflow, which on
      // a busy machine can outlast the default one-second deadlock detection
      Worker worker = env.newWorker("replay", WorkerOptions.newBuilder()
          .setDefaultDeadlockDetectionTimeout(Duration.ofSeconds(30).toMillis()).build());
      worker.registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class);
      WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + history + ".json", worker);
    }
  }

  @org.junit.jupiter.api.Test
  void aChangedCommandSequenceIsCaughtByReplay() {
    // the replayer must be able to fail: a workflow that schedules something else than the history did
    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecutionFromResource("histories/succeeded.json",
        DivergentWorkflow.class)).hasMessageContaining("NonDeterministicException");
  }

  /** The release workflow with one stage's activity skipped: what an unguarded edit looks like. */
  public static class DivergentWorkflow extends ReleaseWorkflowImpl {
    @Override
    public dev.durablerelease.workflow.ReleaseResult run(dev.durablerelease.workflow.ReleaseRequest request) {
      io.temporal.workflow.Workflow.sleep(java.time.Duration.ofSeconds(1));
      return super.run(request);
    }
  }
}
