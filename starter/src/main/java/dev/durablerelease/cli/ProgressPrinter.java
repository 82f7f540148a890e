package dev.durablerelease.cli;

import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.workflow.ReleaseStatus;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints one line each time a stage changes state, from successive {@code status} answers, one each time a running
 * stage's fetch progress changes, and one for each retry of a stage's activity (no terminal needed). A reason is
 * printed once: a stage that blocked and then failed shows only what came after, and stages reused from the same
 * published release name it once.
 */
final class ProgressPrinter {
  private final PrintWriter out;
  private final boolean blockReasonsElsewhere;
  private final Map<String, String> seen = new HashMap<>();
  private final Map<String, String> reasons = new HashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, String> fetches = new HashMap<>();
  private String lastReused = "";

  /**
   * @param blockReasonsElsewhere whether the caller prints why a stage blocked (release run does, whole, on stderr),
   *     so that its line here says only that it did
   */
  ProgressPrinter(PrintWriter out, boolean blockReasonsElsewhere) {
    this.out = out;
    this.blockReasonsElsewhere = blockReasonsElsewhere;
  }

  void update(ReleaseStatus status) {
    for (StageStatus stage : status.stages()) {
      String key = stage.state() + "/" + stage.attempts();
      if (key.equals(seen.put(stage.stage(), key)) || stage.state() == StageState.PENDING) {
        continue;
      }
      line(stage);
    }
    out.flush();
  }

  /**
   * A line under a running stage each time its fetch progress changes (objects and bytes received), so that a long
   * checkout shows how far it got; other heartbeats (command output) are for {@code status}.
   */
  void progress(List<StatusView.Running> running) {
    for (StatusView.Running stage : running) {
      if (stage.fetching() && !stage.heartbeat().equals(fetches.put(stage.stage(), stage.heartbeat()))) {
        out.printf("  %-9s %-14s %7s  %s%n", "", stage.stage(), "", stage.heartbeat());
      }
    }
    out.flush();
  }

  /** One line for each new attempt of a running stage's activity after a failed one: Temporal retrying it. */
  void retries(List<StatusView.Running> running) {
    for (StatusView.Running r : running) {
      Integer shown = attempts.put(r.stage(), r.attempt());
      if (r.attempt() > 1 && (shown == null || shown < r.attempt())) {
        out.printf("  %-9s %-14s attempt %d%s%n", "retrying", r.stage(), r.attempt(),
            r.lastFailure() == null ? "" : " after: " + firstLine(r.lastFailure()));
      }
    }
    out.flush();
  }

  private void line(StageStatus stage) {
    String word = switch (stage.state()) {
      case RUNNING -> "running";
      case WAITING -> "waiting";
      case SUCCEEDED -> "done";
      case REUSED -> "reused";
      case BLOCKED -> "BLOCKED";
      case SKIPPED -> "skipped";
      case FAILED -> "FAILED";
      case CANCELLED -> "cancelled";
      case NOT_CONFIGURED -> "skipped";
      case PENDING -> "";
    };
    boolean ended = stage.endedAt() > 0 && stage.startedAt() > 0;
    String time = ended ? String.format("%6.1fs", (stage.endedAt() - stage.startedAt()) / 1000.0) : "       ";
    String detail = stage.state() == StageState.RUNNING ? "" : newPart(stage);
    if (stage.state() == StageState.BLOCKED && blockReasonsElsewhere) {
      detail = "";
    }
    // stages taken from a published release all say which one: once is enough
    boolean repeated = stage.state() == StageState.REUSED && detail.equals(lastReused);
    out.printf("  %-9s %-14s %s  %s%n", word, stage.stage(), time, repeated ? "" : detail);
    if (stage.state() == StageState.REUSED) {
      lastReused = detail;
    }
  }

  /** The stage's detail, less the reason it blocked with when that was known already. */
  private String newPart(StageStatus stage) {
    String detail = firstLine(stage.detail());
    String reason = stage.state() == StageState.BLOCKED ? reasons.put(stage.stage(), stage.detail())
        : reasons.get(stage.stage());
    if (stage.state() != StageState.BLOCKED && reason != null && stage.detail() != null
        && stage.detail().startsWith(reason)) {
      return firstLine(stage.detail().substring(reason.length()).replaceFirst("^[;,:]?\\s*", ""));
    }
    return detail;
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
