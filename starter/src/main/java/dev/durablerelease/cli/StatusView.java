package dev.durablerelease.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.workflow.ApprovalStatus;
import dev.durablerelease.workflow.BlockedStage;
import dev.durablerelease.workflow.ReleaseSearchAttributes;
import dev.durablerelease.workflow.ReleaseStatus;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A release's status as a person reads it: the workflow's own checklist (the {@code status} query) joined with what
 * only the server knows about running activities (attempt, last heartbeat, last failure), since workflow code cannot
 * see heartbeats.
 */
final class StatusView {
  /** Where suggested commands put the operator's SSH key, for them to put theirs. */
  static final String YOUR_KEY = "~/.ssh/id_ed25519";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  /**
   * What the server says about a stage's activity while it runs.
   *
   * @param heartbeat its last heartbeat's details as one line, or null
   * @param fetching whether that heartbeat reports a git fetch (a {@code FetchProgress})
   */
  record Running(String stage, int attempt, String heartbeat, boolean fetching, String lastFailure) {}

  private StatusView() {}

  static List<Running> running(WorkflowClient client, String workflowId) {
    return description(client, workflowId).getPendingActivitiesList().stream().map(StatusView::running).toList();
  }

  private static DescribeWorkflowExecutionResponse description(WorkflowClient client, String workflowId) {
    return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .build());
  }

  /**
   * What the server alone knows of a release when no worker answers its status query: its state and last recorded
   * stage (search attributes), its timeline (history) and its running activities.
   */
  static void printWithoutWorker(PrintWriter out, WorkflowClient client, String workflowId) {
    DescribeWorkflowExecutionResponse description = description(client, workflowId);
    var info = description.getWorkflowExecutionInfo();
    var attributes = info.getSearchAttributes().getIndexedFieldsMap();
    String recorded = ListCommand.text(attributes, ReleaseSearchAttributes.STATUS.getName());
    String stage = ListCommand.text(attributes, ReleaseSearchAttributes.STAGE.getName());
    out.printf("%s  %s since %s%s%n", workflowId, info.getStatus().name()
            .replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT),
        TIME.format(Instant.ofEpochSecond(info.getStartTime().getSeconds())), recorded == null ? ""
            : ", last recorded: " + recorded + (stage == null || stage.isEmpty() ? "" : " at " + stage));
    out.println(StatusQuery.noWorker() + "; start one with `release worker`. What the server knows:");
    HistoryTimeline.printRows(out, HistoryTimeline.rows(client.fetchHistory(workflowId).getEvents()));
    for (PendingActivityInfo pending : description.getPendingActivitiesList()) {
      printRunning(out, running(pending));
    }
    out.flush();
  }

  private static Running running(PendingActivityInfo info) {
    String heartbeat = null;
    boolean fetching = false;
    if (info.hasHeartbeatDetails()) {
      JsonNode details = DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0,
          Optional.of(info.getHeartbeatDetails()), JsonNode.class, JsonNode.class);
      // liveness heartbeats carry nothing
      if (details != null && !details.isNull()) {
        fetching = details.has("receivedBytes");
        heartbeat = describe(details);
      }
    }
    String failure = info.hasLastFailure() ? info.getLastFailure().getMessage() : null;
    return new Running(info.getActivityType().getName(), info.getAttempt(), heartbeat, fetching, failure);
  }

  /**
   * A command's heartbeat ({@code elapsedMillis}, {@code logTail}) or a fetch's ({@code FetchProgress}) as one line;
   * anything else as JSON.
   */
  static String describe(JsonNode details) {
    if (details.has("elapsedMillis")) {
      String tail = details.path("logTail").asText("");
      String last = tail.isEmpty() ? "" : tail.substring(tail.lastIndexOf('\n') + 1);
      return String.format("%.0fs in, last output: %s", details.get("elapsedMillis").asLong() / 1000.0, last);
    }
    if (details.has("receivedBytes")) {
      String task = details.path("task").asText("");
      int done = details.path("done").asInt();
      int total = details.path("total").asInt();
      String step = task.isEmpty() ? "" : total > 0
          ? String.format(Locale.ROOT, "%s %d%% (%,d/%,d), ", task, 100L * done / total, done, total)
          : String.format(Locale.ROOT, "%s %,d, ", task, done);
      return String.format(Locale.ROOT, "fetching %s: %sreceived %,d objects, %.1f MiB",
          details.path("repository").asText(), step, details.path("receivedObjects").asLong(),
          details.path("receivedBytes").asLong() / (1024.0 * 1024.0));
    }
    return details.toString();
  }

  static void print(PrintWriter out, String workflowId, ReleaseStatus status, List<Running> running) {
    out.printf("%s  %s %s  %s%n", workflowId, nullToEmpty(status.project()), nullToEmpty(status.version()),
        status.state().label());
    out.println("  " + status.detail());
    out.printf("  %-14s %-15s %8s  %-8s  %8s  %s%n", "stage", "state", "attempts", "started", "took", "detail");
    for (StageStatus stage : status.stages()) {
      String started = stage.startedAt() == 0 ? "" : TIME.format(Instant.ofEpochMilli(stage.startedAt()));
      String took = stage.endedAt() == 0 ? "" : String.format("%.1fs", (stage.endedAt() - stage.startedAt()) / 1e3);
      out.printf("  %-14s %-15s %8s  %-8s  %8s  %s%n", stage.stage(), stage.state().name().toLowerCase(),
          stage.attempts() == 0 ? "" : stage.attempts(), started, took, ProgressPrinter.firstLine(stage.detail()));
    }
    for (Running r : running) {
      printRunning(out, r);
    }
    for (BlockedStage blocked : status.blocked()) {
      out.println("blocked at " + blocked.stage() + ":");
      blocked.reason().lines().forEach(line -> out.println("  | " + line));
      if (canChange(blocked)) {
        out.println("  release retry " + workflowId + "    # after fixing the cause");
      }
      if (blocked.skippable()) {
        out.println("  release skip " + workflowId + " --stage " + blocked.stage());
      }
      out.println("  release abort " + workflowId);
    }
    ApprovalStatus approval = status.approval();
    if (approval != null) {
      out.println("waiting for approval: " + approval.approvedBy().size() + " of " + approval.approvals()
          + (approval.approvers().isEmpty() ? "" : " by " + String.join(", ", approval.approvers()))
          + (approval.approvedBy().isEmpty() ? "" : "; approved by " + String.join(", ", approval.approvedBy())));
      out.println("  release approve " + workflowId + " --key " + YOUR_KEY + "    # signs the statement below");
      if (approval.statement() != null) {
        approval.statement().lines().forEach(line -> out.println("  | " + line));
      }
    }
    for (OperatorEvent event : status.operatorEvents()) {
      out.printf("  %s %s of %s %s%s%n", TIME.format(Instant.ofEpochMilli(event.at())), event.action(),
          event.stage(), event.by(), event.note() == null ? "" : " (" + event.note() + ")");
    }
    out.flush();
  }

  /** Whether running the blocked stage again (retry, resume) can end otherwise: not when it was published already. */
  static boolean canChange(BlockedStage blocked) {
    return !Failures.ALREADY_PUBLISHED.equals(blocked.failureType());
  }

  private static void printRunning(PrintWriter out, Running r) {
    out.printf("  %s: attempt %d%s%s%n", r.stage(), r.attempt(),
        r.heartbeat() == null ? "" : ", " + r.heartbeat(),
        r.lastFailure() == null ? "" : "; last failure: " + ProgressPrinter.firstLine(r.lastFailure()));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
