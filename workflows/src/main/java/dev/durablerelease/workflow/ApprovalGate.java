package dev.durablerelease.workflow;

import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.spec.ApprovalSpec;
import dev.durablerelease.spec.Durations;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * The human gate before provenance, signing and upload: waits durably for an approval, logging reminders; at the
 * timeout the release blocks at the gate, where retry waits again, approve opens it and abort ends the release.
 */
final class ApprovalGate {
  private static final Logger log = Workflow.getLogger(ApprovalGate.class);

  private final ReleaseProgress progress;
  private final StageRunner runner;
  private OperatorEvent approval;

  ApprovalGate(ReleaseProgress progress, StageRunner runner) {
    this.progress = progress;
    this.runner = runner;
  }

  void await(ApprovalSpec gate) {
    Duration timeout = Durations.parse(gate.timeout());
    Duration reminder = Durations.parse(gate.reminder());
    Checklist checklist = progress.checklist();
    while (true) {
      checklist.waitFor(Stage.APPROVAL, Workflow.currentTimeMillis());
      progress.awaitingApproval(true);
      progress.show();
      long deadline = Workflow.currentTimeMillis() + timeout.toMillis();
      while (approval == null && Workflow.currentTimeMillis() < deadline) {
        long left = deadline - Workflow.currentTimeMillis();
        if (!Workflow.await(Duration.ofMillis(Math.min(left, reminder.toMillis())), () -> approval != null)
            && Workflow.currentTimeMillis() < deadline) {
          log.info("release {} {} is still waiting for approval (approve before {})", progress.project(),
              progress.version(), Instant.ofEpochMilli(deadline));
        }
      }
      progress.awaitingApproval(false);
      if (approval != null) {
        checklist.approve(Stage.APPROVAL, Workflow.currentTimeMillis(), "approved by " + approval.operator()
            + OperatorDecisions.noteSuffix(approval));
        progress.show();
        return;
      }
      runner.block(Stage.APPROVAL, "no approval within " + gate.timeout());
    }
  }

  /** Opens the gate; when the release blocked at it after a timeout, the approval also ends that block. */
  void approve(OperatorEvent event) {
    approval = event;
    if (progress.blocked(Stage.APPROVAL) != null) {
      runner.decide(Stage.APPROVAL, event);
    }
  }
}
