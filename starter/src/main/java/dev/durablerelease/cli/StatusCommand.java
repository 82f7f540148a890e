package dev.durablerelease.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code release status ID}: the checklist of a release on the cluster at TEMPORAL_ADDRESS. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a release's stages, what is running (attempt, last heartbeat) and why it is blocked.")
class StatusCommand implements Callable<Integer> {
  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Parameters(paramLabel = "ID", description = "workflow id, e.g. release-hello-1.0.0")
  String workflowId;

  @Option(names = "--json", description = "print the status query's answer as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Cluster cluster = Cluster.connect(root.env(), "status")) {
      ReleaseStatus status = cluster.client().newWorkflowStub(ReleaseWorkflow.class, workflowId).status();
      if (json) {
        command.commandLine().getOut().println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
            .writeValueAsString(status));
      } else {
        StatusView.print(command.commandLine().getOut(), workflowId, status, StatusView.running(cluster, workflowId));
      }
      return ExitCodes.OK;
    }
  }
}
