package dev.durablerelease.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.workflow.ReleaseStatus;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code release status ID}: the checklist of a release on the cluster at TEMPORAL_ADDRESS. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a release's stages, what is running (attempt, last heartbeat) and why it is blocked. When no"
        + " worker serves the workflow queue, says so within seconds and shows what the server knows.")
class StatusCommand extends ReleaseCommand {
  @Option(names = "--json", description = "print the status query's answer as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Cluster cluster = connect()) {
      Optional<ReleaseStatus> status = StatusQuery.ask(cluster.client(), workflowId);
      if (status.isEmpty()) {
        if (json) {
          err().println("error: " + StatusQuery.noWorker() + ", so there is no status to print as JSON; start one"
              + " with `release worker`, or leave out --json to see what the server knows");
          return ExitCodes.UNAVAILABLE;
        }
        StatusView.printWithoutWorker(out(), cluster.client(), workflowId);
      } else if (json) {
        out().println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
            .writeValueAsString(status.get()));
      } else {
        StatusView.print(out(), workflowId, status.get(), StatusView.running(cluster.client(), workflowId));
      }
      return ExitCodes.OK;
    }
  }
}
