package dev.durablerelease.workflow;

import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.activity.SigningGrant.ApprovalRule;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.spec.Durations;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The human gate before provenance, signing and upload: waits durably until as many distinct approvers as the policy
 * asks have signed the release's statement, logging reminders; at the timeout the release blocks at the gate, where
 * retry waits again, an approval opens it and abort ends the release.
 */
final class ApprovalGate {
  private static final Logger log = Workflow.getLogger(ApprovalGate.class);

  private final ReleaseProgress progress;
  private final StageRunner runner;
  private final List<SignedDecision> approvals = new ArrayList<>();
  private int required;
  /** A release started before operator policies was approved by name, not by signature. */
  private OperatorEvent unsignedApproval;

  ApprovalGate(ReleaseProgress progress, StageRunner runner) {
    this.progress = progress;
    this.runner = runner;
  }

  void await(ApprovalRule rule) {
    required = rule.approvals();
    Duration timeout = Durations.parse(rule.timeout());
    Duration reminder = Durations.parse(rule.reminder());
    Checklist checklist = progress.checklist();
    while (true) {
      checklist.waitFor(Stage.APPROVAL, Workflow.currentTimeMillis());
      progress.awaitingApproval(true);
      progress.show();
      long deadline = Workflow.currentTimeMillis() + timeout.toMillis();
      while (!isOpen() && Workflow.currentTimeMillis() < deadline) {
        long left = deadline - Workflow.currentTimeMillis();
        if (!Workflow.await(Duration.ofMillis(Math.min(left, reminder.toMillis())), this::isOpen)
            && Workflow.currentTimeMillis() < deadline) {
          log.info("release {} {} is still waiting for approval ({} of {}; approve before {})", progress.project(),
              progress.version(), approvals.size(), required, Instant.ofEpochMilli(deadline));
        }
      }
      progress.awaitingApproval(false);
      if (isOpen()) {
        checklist.approve(Stage.APPROVAL, Workflow.currentTimeMillis(), approvedBy());
        progress.show();
        return;
      }
      runner.block(Stage.APPROVAL, "no approval within " + rule.timeout() + " (" + approvals.size() + " of "
          + required + ")");
    }
  }

  boolean isOpen() {
    return unsignedApproval != null || (required > 0 && approvals.size() >= required);
  }

  /** Whether this key has already approved: each approval must come from a distinct approver's key. */
  boolean hasApproved(String fingerprint) {
    return approvals.stream().anyMatch(a -> a.fingerprint().equals(fingerprint));
  }

  /** Counts a verified approval; the one that completes the count also ends a block at the gate. */
  void accept(SignedDecision approval, OperatorEvent event) {
    approvals.add(approval);
    if (isOpen() && progress.blocked(Stage.APPROVAL) != null) {
      runner.decide(Stage.APPROVAL, event);
    }
  }

  /** Opens the gate of a release started before operator policies, whose approvals were names. */
  void acceptUnsigned(OperatorEvent event) {
    unsignedApproval = event;
    if (progress.blocked(Stage.APPROVAL) != null) {
      runner.decide(Stage.APPROVAL, event);
    }
  }

  List<SignedDecision> approvals() {
    return List.copyOf(approvals);
  }

  int required() {
    return required;
  }

  private String approvedBy() {
    if (unsignedApproval != null) {
      return "approved by " + unsignedApproval.operator() + OperatorDecisions.noteSuffix(unsignedApproval);
    }
    return "approved by " + String.join(", ", approvals.stream().map(SignedDecision::approver).toList())
        + " (signed)";
  }
}
