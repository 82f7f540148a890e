package dev.durablerelease.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A release's event history read as a timeline: one row per stage attempt, operator decision and the end, for the
 * terminal or as a self-contained HTML page to attach to a release ticket.
 */
final class HistoryTimeline {
  /**
   * One line of the timeline.
   *
   * @param what the stage (activity type), operator decision or workflow event
   * @param attempt the activity attempt, 0 for the rest
   * @param start when it started
   * @param took how long it took, or null while open
   * @param result completed, failed, timed out, cancelled, an operator, ...
   * @param message the failure message or detail
   */
  record Row(String what, int attempt, Instant start, Duration took, String result, String message) {}

  private HistoryTimeline() {}

  static List<Row> rows(List<HistoryEvent> events) {
    Map<Long, HistoryEvent> scheduled = new HashMap<>();
    Map<Long, HistoryEvent> started = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    for (HistoryEvent e : events) {
      switch (e.getEventType()) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> rows.add(new Row("release", 0, time(e), null, "started",
            e.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName()));
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> scheduled.put(e.getEventId(), e);
        case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
            started.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), e);
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> rows.add(activity(scheduled, started,
            e.getActivityTaskCompletedEventAttributes().getScheduledEventId(), e, "completed", ""));
        case EVENT_TYPE_ACTIVITY_TASK_FAILED -> rows.add(activity(scheduled, started,
            e.getActivityTaskFailedEventAttributes().getScheduledEventId(), e, "failed",
            e.getActivityTaskFailedEventAttributes().getFailure().getMessage()));
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> rows.add(activity(scheduled, started,
            e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), e, "timed out",
            e.getActivityTaskTimedOutEventAttributes().getFailure().getMessage()));
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> rows.add(activity(scheduled, started,
            e.getActivityTaskCanceledEventAttributes().getScheduledEventId(), e, "cancelled", ""));
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
          var input = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput();
          JsonNode action = firstArgument(input.getArgs());
          rows.add(new Row(input.getName(), 0, time(e), null, (action.path("automatic").asBoolean()
              ? "automatically for " : "by ") + action.path("operator").asText("?"),
              (action.path("stage").asText("") + " " + action.path("note").asText("")).trim()));
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> rows.add(new Row("release", 0, time(e), null, "succeeded", ""));
        case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> rows.add(new Row("release", 0, time(e), null, "failed",
            e.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage()));
        case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> rows.add(new Row("release", 0, time(e), null, "terminated",
            e.getWorkflowExecutionTerminatedEventAttributes().getReason()));
        case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> rows.add(new Row("release", 0, time(e), null, "cancelled", ""));
        default -> { }
      }
    }
    // activities still open at the end of the history
    for (Map.Entry<Long, HistoryEvent> open : scheduled.entrySet()) {
      HistoryEvent start = started.getOrDefault(open.getKey(), open.getValue());
      rows.add(new Row(open.getValue().getActivityTaskScheduledEventAttributes().getActivityType().getName(),
          start == open.getValue() ? 0 : start.getActivityTaskStartedEventAttributes().getAttempt(), time(start),
          null, start == open.getValue() ? "scheduled" : "running", ""));
    }
    rows.sort(java.util.Comparator.comparing(Row::start));
    return rows;
  }

  private static Row activity(Map<Long, HistoryEvent> scheduled, Map<Long, HistoryEvent> started, long scheduledId,
      HistoryEvent end, String result, String message) {
    HistoryEvent schedule = scheduled.remove(scheduledId);
    HistoryEvent start = started.remove(scheduledId);
    String type = schedule.getActivityTaskScheduledEventAttributes().getActivityType().getName();
    int attempt = start == null ? 0 : start.getActivityTaskStartedEventAttributes().getAttempt();
    Instant from = time(start == null ? schedule : start);
    String note = message;
    // history keeps only the last attempt of a retried activity; the one before it failed like this
    if (start != null && attempt > 1 && start.getActivityTaskStartedEventAttributes().hasLastFailure()) {
      note = (note.isEmpty() ? "" : note + "; ") + "after " + (attempt - 1) + " failed attempt(s), last: "
          + start.getActivityTaskStartedEventAttributes().getLastFailure().getMessage();
    }
    return new Row(type, attempt, from, Duration.between(from, time(end)), result, note);
  }

  private static JsonNode firstArgument(Payloads args) {
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(args), JsonNode.class, JsonNode.class);
  }

  private static Instant time(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }

  static void print(PrintWriter out, String workflowId, List<Row> rows) {
    out.println(workflowId);
    printRows(out, rows);
  }

  static void printRows(PrintWriter out, List<Row> rows) {
    out.printf("  %-24s %-14s %7s %9s  %-12s %s%n", "time (UTC)", "stage", "attempt", "took", "result", "message");
    for (Row r : rows) {
      out.printf("  %-24s %-14s %7s %9s  %-12s %s%n", r.start(), r.what(), r.attempt() == 0 ? "" : r.attempt(),
          r.took() == null ? "" : String.format("%.1fs", r.took().toMillis() / 1000.0), r.result(),
          ProgressPrinter.firstLine(r.message()));
    }
    out.flush();
  }

  /** A page with no outside references: styles inline, every value escaped. */
  static String html(String workflowId, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(workflowId)).append(" history</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
        .append(".failed,.timed.out{background:#fdd}.completed,.succeeded{background:#dfd}")
        .append("pre{margin:0;white-space:pre-wrap}</style></head><body>\n<h1>")
        .append(escape(workflowId)).append("</h1>\n<table>\n<tr><th>time (UTC)</th><th>stage</th><th>attempt</th>")
        .append("<th>took</th><th>result</th><th>message</th></tr>\n");
    for (Row r : rows) {
      sb.append("<tr class=\"").append(escape(r.result())).append("\"><td>").append(r.start()).append("</td><td>")
          .append(escape(r.what())).append("</td><td>").append(r.attempt() == 0 ? "" : r.attempt())
          .append("</td><td>").append(r.took() == null ? "" : String.format("%.1fs", r.took().toMillis() / 1000.0))
          .append("</td><td>").append(escape(r.result())).append("</td><td><pre>").append(escape(r.message()))
          .append("</pre></td></tr>\n");
    }
    return sb.append("</table>\n</body></html>\n").toString();
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
