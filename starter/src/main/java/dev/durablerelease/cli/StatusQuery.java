package dev.durablerelease.cli;

import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.workflow.ReleaseStatus;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A release's {@code status} query, asked with a deadline. A worker of the workflow queue answers queries; with none,
 * the server holds the query until the caller gives up (the SDK waits a minute), so commands ask this way and say
 * what is missing instead of waiting.
 */
final class StatusQuery {
  /** How long a worker has to answer. */
  static final Duration WAIT = Duration.ofSeconds(5);

  private StatusQuery() {}

  /** The release's status, or empty when no worker answered within {@link #WAIT}. */
  static Optional<ReleaseStatus> ask(WorkflowClient client, String workflowId) {
    QueryWorkflowResponse response;
    try {
      response = client.getWorkflowServiceStubs().blockingStub()
          .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .queryWorkflow(QueryWorkflowRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
              .setQuery(WorkflowQuery.newBuilder().setQueryType("status"))
              .build());
    } catch (StatusRuntimeException e) {
      switch (e.getStatus().getCode()) {
        // FAILED_PRECONDITION: a server that has seen no poller on the queue lately says so at once
        case DEADLINE_EXCEEDED, FAILED_PRECONDITION -> {
          return Optional.empty();
        }
        case NOT_FOUND -> throw new UserError("there is no release " + workflowId + " on this server; `release list`"
            + " shows the releases there");
        default -> throw e;
      }
    }
    return Optional.of(client.getOptions().getDataConverter().fromPayloads(0,
        Optional.of(response.getQueryResult()), ReleaseStatus.class, ReleaseStatus.class));
  }

  /**
   * Whether a worker of the workflow queue ever took a task of this release: a worker present but slow to answer has
   * at least started its first one, so a release without one is one no worker serves.
   */
  static boolean pickedUp(WorkflowClient client, String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  }

  /** What to tell the operator when {@link #ask} got no answer. */
  static String noWorker() {
    return "no worker serves the workflow queue " + TaskQueues.WORKFLOWS + " (the release's status query got no"
        + " answer within " + WAIT.toSeconds() + " s)";
  }
}
