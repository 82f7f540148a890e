package dev.durablerelease.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code release status ID}: the checklist of a release on the cluster at TEMPORAL_ADDRESS. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a release's stages, what is running (attempt, last heartbeat) and why it is blocked.")
class StatusCommand extends ReleaseCommand {
  @Option(names = "--json", description = "print the status query's answer as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Cluster cluster = connect()) {
      ReleaseStatus status = cluster.client().newWorkflowStub(ReleaseWorkflow.class, workflowId).status();
      if (json) {
        out().println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
            .writeValueAsString(status));
      } else {
        StatusView.print(out(), workflowId, status, StatusView.running(cluster.client(), workflowId));
      }
      return ExitCodes.OK;
    }
  }
}
