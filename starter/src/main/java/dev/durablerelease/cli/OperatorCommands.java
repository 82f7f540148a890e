package dev.durablerelease.cli;

import dev.durablerelease.workflow.BlockedStage;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.nio.file.Path;
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

    @Option(names = "--key", paramLabel = "FILE",
        description = "your SSH key, to sign the decision where the operator's policy asks for a signature (approve;"
            + " skip when the policy says so): the private key, or its .pub file when ssh-agent holds it")
    Path key;

    abstract BiFunction<ReleaseWorkflow, OperatorAction, String> update();

    /** The statement this decision signs, from the release's status; null when it needs no signature. */
    String statement(ReleaseStatus status) {
      return null;
    }

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
        String signature = null;
        if (key != null) {
          String statement = statement(workflow.status());
          if (statement == null) {
            throw new UserError(command.name() + " of " + workflowId + " needs no signature now; leave out --key");
          }
          signature = DecisionSigner.sign(key, statement);
        }
        String answer = update().apply(workflow, new OperatorAction(stage, who, note, signature));
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

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve a release waiting at its approval gate, signing its statement with --key.")
  static class Approve extends Decision {
    @Override
    String statement(ReleaseStatus status) {
      return status.approval() == null ? null : status.approval().statement();
    }

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
    String statement(ReleaseStatus status) {
      return status.blocked().stream()
          .filter(b -> stage == null || b.stage().equals(stage))
          .map(BlockedStage::skipStatement)
          .filter(java.util.Objects::nonNull)
          .findFirst().orElse(null);
    }

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
