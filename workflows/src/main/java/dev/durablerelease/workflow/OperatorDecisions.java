package dev.durablerelease.workflow;

import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.contract.StageState;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The operators' updates: each validator refuses, with a reason, what cannot be done now (and a refused update leaves
 * no trace in the history); each handler records the decision and hands it to the stage or gate that waits for it.
 */
final class OperatorDecisions {
  private static final Logger log = Workflow.getLogger(OperatorDecisions.class);

  private final ReleaseProgress progress;
  private final StageRunner runner;
  private final ApprovalGate gate;
  private final Supplier<List<String>> approvers;
  private final Consumer<OperatorEvent> onAbort;

  /**
   * @param approvers who may approve (empty: anyone the namespace lets send updates)
   * @param onAbort ends the release
   */
  OperatorDecisions(ReleaseProgress progress, StageRunner runner, ApprovalGate gate, Supplier<List<String>> approvers,
      Consumer<OperatorEvent> onAbort) {
    this.progress = progress;
    this.runner = runner;
    this.gate = gate;
    this.approvers = approvers;
    this.onAbort = onAbort;
  }

  void validateRetry(OperatorAction action) {
    blockedStage(action, "retry");
  }

  String retry(OperatorAction action) {
    Stage stage = blockedStage(action, "retry");
    runner.decide(stage, record("retry", stage.id(), action));
    return "retrying " + stage.id();
  }

  void validateSkip(OperatorAction action) {
    Stage stage = blockedStage(action, "skip");
    if (!progress.blocked(stage).skippable()) {
      throw new IllegalArgumentException("skip of " + stage.id() + " is refused: " + whyNotSkippable(stage));
    }
  }

  String skip(OperatorAction action) {
    Stage stage = blockedStage(action, "skip");
    runner.decide(stage, record("skip", stage.id(), action));
    return "skipping " + stage.id();
  }

  void validateAbort(OperatorAction action) {
    requireOperator(action, "abort");
    if (progress.hasEnded()) {
      throw new IllegalStateException("the release has already ended (" + progress.state().label() + ")");
    }
    if (progress.checklist().state(Stage.UPLOAD) == StageState.RUNNING) {
      throw new IllegalStateException("upload is publishing; aborting now could leave a target half-published."
          + " Wait for it to finish or block");
    }
  }

  String abort(OperatorAction action) {
    String at = progress.checklist().current() == null ? "start" : progress.checklist().current();
    onAbort.accept(record("abort", at, action));
    return "aborting at " + at;
  }

  void validateApprove(OperatorAction action) {
    requireOperator(action, "approve");
    if (!progress.awaitsApproval()) {
      throw new IllegalStateException("the release is not waiting for approval (it is " + progress.state().label()
          + ")");
    }
    List<String> allowed = approvers.get();
    if (!allowed.isEmpty() && !allowed.contains(action.operator())) {
      throw new IllegalArgumentException(action.operator() + " may not approve this release; approvers: "
          + String.join(", ", allowed));
    }
  }

  String approve(OperatorAction action) {
    gate.approve(record("approve", Stage.APPROVAL.id(), action));
    return "approved by " + action.operator();
  }

  private Stage blockedStage(OperatorAction action, String verb) {
    requireOperator(action, verb);
    List<Stage> blocked = progress.blockedStages();
    if (blocked.isEmpty()) {
      throw new IllegalStateException("nothing to " + verb + ": the release is " + progress.state().label()
          + " and no stage is blocked");
    }
    if (action.stage() == null || action.stage().isBlank()) {
      if (blocked.size() > 1) {
        throw new IllegalArgumentException("several stages are blocked (" + progress.blockedIds()
            + "); name one with stage");
      }
      return blocked.get(0);
    }
    Stage stage = Stage.byId(action.stage());
    if (stage == null || !blocked.contains(stage)) {
      throw new IllegalArgumentException(action.stage() + " is not blocked; blocked: " + progress.blockedIds());
    }
    return stage;
  }

  private static void requireOperator(OperatorAction action, String verb) {
    if (action == null) {
      throw new IllegalArgumentException(verb + " needs {\"operator\": \"<who>\"}");
    }
    if (action.unknownFields() != null && !action.unknownFields().isEmpty()) {
      throw new IllegalArgumentException("unknown field(s) " + String.join(", ", action.unknownFields().keySet())
          + "; known: stage, operator, note");
    }
    if (action.operator() == null || action.operator().isBlank()) {
      throw new IllegalArgumentException(verb + " needs the operator's name (it is recorded with the release)");
    }
  }

  private OperatorEvent record(String verb, String stage, OperatorAction action) {
    OperatorEvent event = new OperatorEvent(verb, stage, action.operator(), action.note(),
        Workflow.currentTimeMillis());
    progress.record(event);
    log.info("{} {} by {}{}", verb, stage, action.operator(), noteSuffix(event));
    return event;
  }

  private static String whyNotSkippable(Stage stage) {
    return switch (stage) {
      case TEST_SOURCE, BUILD_DOCS -> "the spec does not mark it skippable (" + (stage == Stage.TEST_SOURCE
          ? "test" : "docs") + ".skippable: true)";
      case UPLOAD -> "a release that is not published is not a release; abort it instead";
      case APPROVAL -> "the approval gate is opened by approve, not skipped";
      default -> "later stages need what it makes";
    };
  }

  static String noteSuffix(OperatorEvent event) {
    return event.note() == null || event.note().isBlank() ? "" : " (" + event.note() + ")";
  }
}
