package dev.durablerelease.cli;

import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.workflow.ReleaseStatus;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints one line each time a stage changes state, from successive {@code status} answers, and one each time a
 * running stage's fetch progress changes (no terminal needed).
 */
final class ProgressPrinter {
  private final PrintWriter out;
  private final Map<String, String> seen = new HashMap<>();
  private final Map<String, String> fetches = new HashMap<>();

  ProgressPrinter(PrintWriter out) {
    this.out = out;
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
    String detail = stage.state() == StageState.RUNNING ? "" : firstLine(stage.detail());
    out.printf("  %-9s %-14s %s  %s%n", word, stage.stage(), time, detail);
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
