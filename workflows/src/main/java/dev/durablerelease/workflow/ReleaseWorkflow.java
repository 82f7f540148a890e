package dev.durablerelease.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One release of one project: checkout, source archives, tests beside docs, SBOMs, approval, provenance, signing,
 * manifest, upload. A stage that fails in a way a retry cannot fix blocks the release until an operator sends {@code
 * retry}, {@code skip} or {@code abort}.
 */
@WorkflowInterface
public interface ReleaseWorkflow {
  /** Workflow type name as the Temporal CLI and UI show it. */
  String TYPE = "ReleaseWorkflow";

  @WorkflowMethod(name = TYPE)
  ReleaseResult run(ReleaseRequest request);

  /** The checklist with each stage's state; answered from workflow state, so it costs no activity. */
  @QueryMethod(name = "status")
  ReleaseStatus status();

  /** Runs a blocked stage again (after the operator fixed what made it fail). */
  @UpdateMethod(name = "retry")
  String retry(OperatorAction action);

  @UpdateValidatorMethod(updateName = "retry")
  void validateRetry(OperatorAction action);

  /** Goes on without a blocked stage the spec marks skippable; recorded in the manifest. */
  @UpdateMethod(name = "skip")
  String skip(OperatorAction action);

  @UpdateValidatorMethod(updateName = "skip")
  void validateSkip(OperatorAction action);

  /** Ends the release; nothing is published. Refused while the upload is publishing. */
  @UpdateMethod(name = "abort")
  String abort(OperatorAction action);

  @UpdateValidatorMethod(updateName = "abort")
  void validateAbort(OperatorAction action);

  /** Opens the approval gate. */
  @UpdateMethod(name = "approve")
  String approve(OperatorAction action);

  @UpdateValidatorMethod(updateName = "approve")
  void validateApprove(OperatorAction action);

  /** The workflow id our CLI uses, so that a second start of the same release finds the first. */
  static String workflowId(String project, String version) {
    return "release-" + project + "-" + version;
  }
}
