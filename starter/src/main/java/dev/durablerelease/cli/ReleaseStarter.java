package dev.durablerelease.cli;

import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.spec.Versioning;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.HashMap;
import java.util.Map;

/** Starts release workflows with the options every start shares. */
final class ReleaseStarter {
  private ReleaseStarter() {}

  /**
   * The workflow id: {@code release-<project>-<version>}, with the repository's name when the spec is not known yet;
   * a dry run has its own ({@code …-dry-run}), so that it never stands in the way of the real release.
   */
  static String workflowId(ReleaseRequest request) {
    String project = request.spec() != null ? request.spec().project() : repositoryName(request.repository());
    return ReleaseWorkflow.workflowId(project, request.version()) + (request.dryRun() ? "-dry-run" : "");
  }

  static WorkflowExecution start(WorkflowClient client, ReleaseRequest request) {
    String tag = request.tag() != null ? request.tag()
        : request.spec() != null ? request.spec().tag() : "v" + request.version();
    String project = request.spec() != null ? request.spec().project() : repositoryName(request.repository());
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.WORKFLOWS)
        .setWorkflowId(workflowId(request))
        // a release that succeeded is never run again under the same id; a failed one, or a dry run, may be
        .setWorkflowIdReusePolicy(request.dryRun() ? WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
            : WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
        .setStaticSummary((request.dryRun() ? "dry run of " : "") + project + " " + request.version() + " from " + tag)
        .setMemo(versionMemo(request))
        .build();
    ReleaseWorkflow workflow = client.newWorkflowStub(ReleaseWorkflow.class, options);
    return WorkflowClient.start(workflow::run, request);
  }

  /** How the release's version is read, for release list to order and filter by it (empty without a scheme). */
  static Map<String, Object> versionMemo(ReleaseRequest request) {
    Versioning versioning = request.spec() == null ? Versioning.NONE : request.spec().versioning();
    if (versioning.scheme().equals(Versioning.NONE.scheme())) {
      return Map.of();
    }
    Map<String, Object> memo = new HashMap<>();
    memo.put(ListCommand.MEMO_SCHEME, versioning.scheme());
    if (versioning.pattern() != null) {
      memo.put(ListCommand.MEMO_PATTERN, versioning.pattern());
    }
    return memo;
  }

  private static String repositoryName(String repository) {
    String trimmed = repository.replaceAll("/+$", "").replaceAll("\\.git$", "");
    return trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':')) + 1);
  }
}
