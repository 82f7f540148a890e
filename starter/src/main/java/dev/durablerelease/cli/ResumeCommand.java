package dev.durablerelease.cli;

import dev.durablerelease.workflow.ReleaseRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code release resume}: a new run of a release that died or failed, reusing every stage that finished with
 * identical inputs (their results are in the artifact store).
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Run a release again, reusing every stage an earlier run finished with identical inputs. With the"
        + " same options as run (e.g. after the embedded process died), or with the workflow ID of a failed or"
        + " terminated release on the cluster at TEMPORAL_ADDRESS.")
class ResumeCommand extends RunCommand {
  @Parameters(arity = "0..1", paramLabel = "ID", description = "workflow id of a failed release on a cluster")
  String workflowId;

  @Override
  public Integer call() throws Exception {
    if (workflowId == null) {
      return run(input.request().resuming());
    }
    ReleaseRequest request;
    try (Cluster cluster = Cluster.connect(root.env(), "resume ID")) {
      var description = cluster.client().newUntypedWorkflowStub(workflowId).describe();
      if (description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        throw new UserError(workflowId + " is still running; use retry, skip or abort on it instead");
      }
      if (description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
        command.commandLine().getOut().println(workflowId + " succeeded already; there is nothing to resume");
        return ExitCodes.OK;
      }
      HistoryEvent started = cluster.client().fetchHistory(workflowId).getEvents().get(0);
      request = DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0,
          Optional.of(started.getWorkflowExecutionStartedEventAttributes().getInput()),
          ReleaseRequest.class, ReleaseRequest.class);
      WorkflowExecution execution = ReleaseStarter.start(cluster.client(), request.resuming());
      command.commandLine().getOut().println(execution.getWorkflowId() + " resumed as run " + execution.getRunId());
    }
    return ExitCodes.OK;
  }
}
