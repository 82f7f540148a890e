package dev.durablerelease.cli;

import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code release approve|retry|skip|abort ID}: an operator's decision, sent as a workflow update. */
final class OperatorCommands {
  private OperatorCommands() {}

  /** What the four commands share: the release, the operator, the stage and a note. */
  abstract static class Decision extends ReleaseCommand {
    @Option(names = "--stage", description = "the stage (needed when several are blocked, and for skip)")
    String stage;

    @Option(names = "--note", description = "why, in a few words; recorded with the release")
    String note;

    @Option(names = "--as", paramLabel = "NAME", description = "operator name (default $USER)")
    String operator;

    abstract BiFunction<ReleaseWorkflow, OperatorAction, String> update();

    @Override
    public Integer call() throws Exception {
      String who = operator != null ? operator : root.operator(out()).name();
      try (Cluster cluster = connect()) {
        // an update waits for a worker of the workflow queue as long as it takes: find out first that one answers
        if (StatusQuery.ask(cluster.client(), workflowId).isEmpty()) {
          err().println("error: " + StatusQuery.noWorker() + ", so " + command.name() + " was not sent; start one"
              + " with `release worker`, then run this again");
          return ExitCodes.UNAVAILABLE;
        }
        ReleaseWorkflow workflow = cluster.client().newWorkflowStub(ReleaseWorkflow.class, workflowId);
        String answer = update().apply(workflow, new OperatorAction(stage, who, note));
        out().println(answer);
        return ExitCodes.OK;
      } catch (WorkflowUpdateException e) {
        err().println(command.name() + " refused: " + ReleaseRunner.failureMessage(
            e.getCause()));
        return ExitCodes.BAD_INPUT;
      } catch (WorkflowNotFoundException e) {
        err().println(command.name() + " refused: no running release " + workflowId
            + " (it has ended, or the id is wrong; see release list)");
        return ExitCodes.BAD_INPUT;
      }
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Open a release's approval gate.")
  static class Approve extends Decision {
    @Override
    BiFunction<ReleaseWorkflow, OperatorAction, String> update() {
      return ReleaseWorkflow::approve;
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true, description = "Run a blocked stage again.")
  static class Retry extends Decision {
    @Override
    BiFunction<ReleaseWorkflow, OperatorAction, String> update() {
      return ReleaseWorkflow::retry;
    }
  }

  @Command(name = "skip", mixinStandardHelpOptions = true,
      description = "Go on without a blocked stage the spec marks skippable.")
  static class Skip extends Decision {
    @Override
    BiFunction<ReleaseWorkflow, OperatorAction, String> update() {
      return ReleaseWorkflow::skip;
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true, description = "End a release; nothing is published.")
  static class Abort extends Decision {
    @Override
    BiFunction<ReleaseWorkflow, OperatorAction, String> update() {
      return ReleaseWorkflow::abort;
    }
  }
}
