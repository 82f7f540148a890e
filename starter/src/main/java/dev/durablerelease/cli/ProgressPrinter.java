package dev.durablerelease.cli;

import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.StageState;
import dev.durablerelease.workflow.StageStatus;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/** Prints one line each time a stage starts or ends, from successive {@code status} answers. */
final class ProgressPrinter {
  private final PrintWriter out;
  private final Map<String, StageState> seen = new HashMap<>();

  ProgressPrinter(PrintWriter out) {
    this.out = out;
  }

  void update(ReleaseStatus status) {
    for (StageStatus stage : status.stages()) {
      StageState before = seen.put(stage.stage(), stage.state());
      if (before == stage.state()) {
        continue;
      }
      switch (stage.state()) {
        case RUNNING -> line("running", stage, null);
        case SUCCEEDED -> line("done", stage, stage.detail());
        case FAILED -> line("FAILED", stage, firstLine(stage.detail()));
        case NOT_CONFIGURED -> line("skipped", stage, "not configured");
        case PENDING -> { }
      }
    }
    out.flush();
  }

  private void line(String word, StageStatus stage, String detail) {
    String time = stage.endedAt() > 0 && stage.startedAt() > 0
        ? String.format("%6.1fs", (stage.endedAt() - stage.startedAt()) / 1000.0)
        : "       ";
    out.printf("  %-8s %-14s %s  %s%n", word, stage.stage(), time, detail == null ? "" : detail);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
