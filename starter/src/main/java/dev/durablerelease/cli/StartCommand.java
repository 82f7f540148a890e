package dev.durablerelease.cli;

import dev.durablerelease.worker.TemporalConnection;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code release start}: start a release on a Temporal cluster and print its workflow id. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start a release on the Temporal server at TEMPORAL_ADDRESS and print its workflow id; workers"
        + " started with `release worker` run it.")
class StartCommand implements Callable<Integer> {
  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  ReleaseInput input;

  @Override
  public Integer call() throws Exception {
    TemporalConnection connection = TemporalConnection.fromEnvironment(root.env());
    if (connection.isEmbedded()) {
      throw new UserError("start needs TEMPORAL_ADDRESS (a cluster, or `release dev-server`); "
          + "use `release run` to release with the embedded server");
    }
    var request = input.request();
    WorkflowServiceStubs stubs = connection.connect();
    try {
      WorkflowExecution execution = ReleaseStarter.start(connection.client(stubs), request);
      command.commandLine().getOut().println(execution.getWorkflowId());
      return ExitCodes.OK;
    } catch (WorkflowExecutionAlreadyStarted e) {
      // a server that keeps history has it still: running, or released (a release is never made twice)
      throw new UserError("release " + e.getExecution().getWorkflowId() + " is already on the server (run "
          + e.getExecution().getRunId() + "), running or released; follow it with `release status "
          + e.getExecution().getWorkflowId() + "`, or release another version");
    } finally {
      stubs.shutdown();
    }
  }
}
