package dev.durablerelease.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code release history ID}: what happened, from the workflow's event history. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Print a release's timeline (stage, attempt, start, duration, result, failure) from its history.")
class HistoryCommand extends ReleaseCommand {
  @Option(names = "--html", paramLabel = "FILE", description = "also write the timeline as a self-contained page")
  Path html;

  @Override
  public Integer call() throws Exception {
    try (Cluster cluster = connect()) {
      List<HistoryTimeline.Row> rows =
          HistoryTimeline.rows(cluster.client().fetchHistory(workflowId).getEvents());
      HistoryTimeline.print(out(), workflowId, rows);
      if (html != null) {
        Files.writeString(html, HistoryTimeline.html(workflowId, rows), StandardCharsets.UTF_8);
        out().println("wrote " + html);
      }
      return ExitCodes.OK;
    }
  }
}
