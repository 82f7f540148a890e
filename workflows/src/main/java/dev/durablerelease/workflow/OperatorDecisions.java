package dev.durablerelease.workflow;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.contract.StageState;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.function.Consumer;
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
  private final SignedDecisions signed;
  private final Consumer<OperatorEvent> onAbort;
  /** Releases started before operator policies approve by name, against the approvers their spec listed. */
  private List<String> unsignedApprovers;

  /** @param onAbort ends the release */
  OperatorDecisions(ReleaseProgress progress, StageRunner runner, ApprovalGate gate, SignedDecisions signed,
      Consumer<OperatorEvent> onAbort) {
    this.progress = progress;
    this.runner = runner;
    this.gate = gate;
    this.signed = signed;
    this.onAbort = onAbort;
  }

  /** A release started before operator policies: approvals are names checked against this list (empty: anyone). */
  void approveByName(List<String> approvers) {
    unsignedApprovers = approvers;
  }

  void validateRetry(OperatorAction action) {
    blockedStage(action, "retry");
    requireOperator(action, "retry");
  }

  String retry(OperatorAction action) {
    Stage stage = blockedStage(action, "retry");
    runner.decide(stage, record("retry", stage.id(), action.operator(), action.note(), action.automatic()));
    return "retrying " + stage.id();
  }

  void validateSkip(OperatorAction action) {
    Stage stage = blockedStage(action, "skip");
    if (!progress.blocked(stage).skippable()) {
      throw new IllegalArgumentException("skip of " + stage.id() + " is refused: " + whyNotSkippable(stage));
    }
    if (signed.skipsNeedSignature()) {
      signed.requireNewSignature(action, "skip of " + stage.id(), "release skip --stage " + stage.id());
    } else {
      requireOperator(action, "skip");
    }
  }

  String skip(OperatorAction action) {
    Stage stage = blockedStage(action, "skip");
    String who = action.operator();
    if (signed.skipsNeedSignature()) {
      who = signed.verify(signed.skip(stage.id()), action.signature()).approver();
    }
    runner.decide(stage, record("skip", stage.id(), who, action.note(), action.automatic()));
    return "skipping " + stage.id();
  }

  void validateAbort(OperatorAction action) {
    requireKnownFields(action);
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
    onAbort.accept(record("abort", at, action.operator(), action.note(), action.automatic()));
    return "aborting at " + at;
  }

  void validateApprove(OperatorAction action) {
    requireKnownFields(action);
    if (!progress.awaitsApproval() || gate.isOpen()) {
      throw new IllegalStateException("the release is not waiting for approval (it is " + progress.state().label()
          + ")");
    }
    if (unsignedApprovers != null) {
      requireOperator(action, "approve");
      if (!unsignedApprovers.isEmpty() && !unsignedApprovers.contains(action.operator())) {
        throw new IllegalArgumentException(action.operator() + " may not approve this release; approvers: "
            + String.join(", ", unsignedApprovers));
      }
      return;
    }
    signed.requireNewSignature(action, "approve", "release approve");
  }

  String approve(OperatorAction action) {
    if (unsignedApprovers != null) {
      OperatorEvent event = record("approve", Stage.APPROVAL.id(), action.operator(), action.note(), false);
      gate.acceptUnsigned(event);
      return "approved by " + action.operator();
    }
    SignedDecision approval = signed.verify(signed.approval(), action.signature());
    if (gate.hasApproved(approval.fingerprint())) {
      throw ApplicationFailure.newNonRetryableFailure(approval.approver() + " (" + approval.fingerprint()
          + ") has already approved this release; " + gate.required() + " distinct approvers must sign",
          Failures.APPROVAL_REFUSED);
    }
    OperatorEvent event = record("approve", Stage.APPROVAL.id(), approval.approver(), action.note(), false);
    gate.accept(approval, event);
    return "approved by " + approval.approver() + " (" + gate.approvals().size() + " of " + gate.required() + ")";
  }

  private Stage blockedStage(OperatorAction action, String verb) {
    requireKnownFields(action);
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

  private static void requireKnownFields(OperatorAction action) {
    if (action == null) {
      throw new IllegalArgumentException("the update needs its argument, e.g. {\"operator\": \"<who>\"}");
    }
    if (action.unknownFields() != null && !action.unknownFields().isEmpty()) {
      throw new IllegalArgumentException("unknown field(s) " + String.join(", ", action.unknownFields().keySet())
          + "; known: stage, operator, note, signature");
    }
  }

  private static void requireOperator(OperatorAction action, String verb) {
    if (action.operator() == null || action.operator().isBlank()) {
      throw new IllegalArgumentException(verb + " needs the operator's name (it is recorded with the release)");
    }
  }

  /** @param automatic whether a program decided on the operator's behalf (no terminal to ask) */
  private OperatorEvent record(String verb, String stage, String operator, String note, boolean automatic) {
    OperatorEvent event = new OperatorEvent(verb, stage, operator, note, Workflow.currentTimeMillis(), automatic);
    progress.record(event);
    log.info("{} {} {}{}", verb, stage, event.by(), noteSuffix(event));
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
