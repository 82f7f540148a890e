package dev.durablerelease.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One release of one project: checkout, build, test, docs, SBOMs, manifest, upload. */
@WorkflowInterface
public interface ReleaseWorkflow {
  /** Workflow type name as the Temporal CLI and UI show it. */
  String TYPE = "ReleaseWorkflow";

  @WorkflowMethod(name = TYPE)
  ReleaseResult run(ReleaseRequest request);

  /** The checklist with each stage's state; answered from workflow state, so it costs no activity. */
  @QueryMethod(name = "status")
  ReleaseStatus status();

  /** The workflow id our CLI uses, so that a second start of the same release finds the first. */
  static String workflowId(String project, String version) {
    return "release-" + project + "-" + version;
  }
}
