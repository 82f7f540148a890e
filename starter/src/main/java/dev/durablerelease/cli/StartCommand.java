package dev.durablerelease.cli;

import dev.durablerelease.worker.TemporalConnection;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
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
      // starting is idempotent: the release this id names is there already
      String id = e.getExecution().getWorkflowId();
      boolean running = connection.client(stubs).newUntypedWorkflowStub(id).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      command.commandLine().getOut().println(id);
      command.commandLine().getErr().println(id + (running ? " is running already" : " succeeded already")
          + "; not started again");
      return ExitCodes.OK;
    } finally {
      stubs.shutdown();
    }
  }
}
