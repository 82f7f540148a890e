package dev.durablerelease.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code release history ID}: what happened, from the workflow's event history. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Print a release's timeline (stage, attempt, start, duration, result, failure) from its history.")
class HistoryCommand implements Callable<Integer> {
  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Parameters(paramLabel = "ID", description = "workflow id, e.g. release-hello-1.0.0")
  String workflowId;

  @Option(names = "--html", paramLabel = "FILE", description = "also write the timeline as a self-contained page")
  Path html;

  @Override
  public Integer call() throws Exception {
    try (Cluster cluster = Cluster.connect(root.env(), "history")) {
      List<HistoryTimeline.Row> rows =
          HistoryTimeline.rows(cluster.client().fetchHistory(workflowId).getEvents());
      HistoryTimeline.print(command.commandLine().getOut(), workflowId, rows);
      if (html != null) {
        Files.writeString(html, HistoryTimeline.html(workflowId, rows), StandardCharsets.UTF_8);
        command.commandLine().getOut().println("wrote " + html);
      }
      return ExitCodes.OK;
    }
  }
}
