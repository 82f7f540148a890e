package dev.durablerelease.workflow;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.contract.StageOutput;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Runs each stage's activity and records it on the checklist. A failure a retry cannot fix blocks the stage until an
 * operator sends retry (run it again), skip (only stages the spec marks skippable) or abort (cancels the wait).
 */
final class StageRunner {
  private static final Logger log = Workflow.getLogger(StageRunner.class);

  private final ReleaseProgress progress;
  /** Decisions sent for blocked stages and not yet taken up. */
  private final Map<Stage, OperatorEvent> decisions = new HashMap<>();
  private Predicate<Stage> skippable = stage -> false;

  StageRunner(ReleaseProgress progress) {
    this.progress = progress;
  }

  /** Which stages an operator may skip when they block; known once the spec is. */
  void skippable(Predicate<Stage> rule) {
    skippable = rule;
  }

  /**
   * Runs the stage until it succeeds, and returns its result; or null when an operator skipped it after it blocked.
   *
   * @param call the stage's activity call (or calls)
   * @param describe the checklist line of a result
   */
  <T extends StageOutput> T run(Stage stage, Supplier<T> call, Function<T, String> describe) {
    Checklist checklist = progress.checklist();
    while (true) {
      checklist.start(stage, Workflow.currentTimeMillis());
      progress.show();
      try {
        T result = call.get();
        String detail = describe.apply(result) + (result.run().reused() ? " (reused from an earlier run)" : "");
        checklist.succeed(stage, Workflow.currentTimeMillis(), result.run(), detail);
        progress.show();
        return result;
      } catch (ActivityFailure e) {
        if (e.getCause() instanceof CanceledFailure cancelled) {
          checklist.cancel(stage, Workflow.currentTimeMillis());
          throw cancelled;
        }
        OperatorEvent decision = block(stage, reason(e), failureType(e));
        if (decision.action().equals("skip")) {
          checklist.skip(stage, Workflow.currentTimeMillis(), "skipped " + decision.by()
              + OperatorDecisions.noteSuffix(decision));
          progress.show();
          return null;
        }
      }
    }
  }

  /** Marks the stage blocked and waits for an operator's retry or skip (abort cancels the wait). */
  OperatorEvent block(Stage stage, String reason) {
    return block(stage, reason, null);
  }

  /** @param failureType the failure's type, which tells whether running the stage again can end otherwise */
  OperatorEvent block(Stage stage, String reason, String failureType) {
    log.warn("stage {} blocked: {}", stage.id(), reason);
    progress.checklist().block(stage, Workflow.currentTimeMillis(), reason);
    progress.block(stage, reason, skippable.test(stage), failureType);
    progress.show();
    try {
      Workflow.await(() -> decisions.containsKey(stage));
    } catch (CanceledFailure e) {
      progress.checklist().fail(stage, Workflow.currentTimeMillis(), reason);
      throw e;
    }
    progress.unblock(stage);
    progress.show();
    return decisions.remove(stage);
  }

  /** An operator's decision for a blocked stage, taken up by the stage's wait. */
  void decide(Stage stage, OperatorEvent decision) {
    decisions.put(stage, decision);
  }

  /** The failure's type ({@link Failures}), or its kind when it is not an application failure (e.g. a timeout). */
  static String failureType(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    return cause instanceof ApplicationFailure application ? application.getType()
        : cause == null ? "" : cause.getClass().getSimpleName();
  }

  /** The failure's own message, without Temporal's wrapping. */
  static String reason(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof TemporalFailure temporal) {
      return temporal.getOriginalMessage();
    }
    return cause == null ? failure.getMessage() : cause.toString();
  }
}
