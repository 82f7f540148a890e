package dev.durablerelease.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.spec.Versioning;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DataConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** Starts release workflows with the options every start shares. */
final class ReleaseStarter {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * Refuses to follow a release already on the server under this id unless it was started with the same input (the
   * resume flag aside): the same command again continues it, another one must not pass for it.
   */
  static void requireSameRelease(WorkflowClient client, WorkflowExecution execution, ReleaseRequest request) {
    HistoryEvent started = client.fetchHistory(execution.getWorkflowId(), execution.getRunId()).getEvents().get(0);
    Payloads input = started.getWorkflowExecutionStartedEventAttributes().getInput();
    DataConverter converter = client.getOptions().getDataConverter();
    JsonNode theirs = withoutResume(input.getPayloads(0));
    JsonNode ours = withoutResume(converter.toPayload(request).orElseThrow());
    if (!theirs.equals(ours)) {
      String id = execution.getWorkflowId();
      String address = client.getWorkflowServiceStubs().getOptions().getTarget();
      throw new UserError("release " + id + " is already on the server, started with other input (spec, repository,"
          + " version or tag differ from this command's); follow it (TEMPORAL_ADDRESS=" + address + " release watch "
          + id + "), or abort it (TEMPORAL_ADDRESS=" + address + " release abort " + id + ") and run this command"
          + " again");
    }
  }

  private static JsonNode withoutResume(Payload payload) {
    try {
      JsonNode json = JSON.readTree(payload.getData().toByteArray());
      if (json instanceof ObjectNode object) {
        object.remove("resume");
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException("the release's input on the server is not JSON", e);
    }
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
