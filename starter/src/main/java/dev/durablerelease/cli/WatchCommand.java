package dev.durablerelease.cli;

import dev.durablerelease.contract.StageState;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;

/** {@code release watch ID}: follow a release until it ends. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Follow a release until it ends: a live bar on a terminal, one line per stage change otherwise."
        + " When no worker serves the workflow queue, says so within seconds and ends.")
class WatchCommand extends ReleaseCommand {
  private static final Duration POLL = Duration.ofMillis(500);

  /** Whether the operator has been told that no worker answers now, so it is said once per absence. */
  private boolean toldNoWorker;

  @Override
  public Integer call() throws Exception {
    try (Cluster cluster = connect()) {
      WorkflowClient client = cluster.client();
      Optional<ReleaseStatus> first = StatusQuery.ask(client, workflowId);
      if (first.isEmpty()) {
        StatusView.printWithoutWorker(out(), client, workflowId);
        err().println("error: nothing moves: " + StatusQuery.noWorker() + "; start one with `release worker`,"
            + " then watch again");
        return ExitCodes.UNAVAILABLE;
      }
      ReleaseStatus status = first.get();
      if (root.hasTerminal()) {
        status = watchWithBar(client, status);
      } else {
        ProgressPrinter printer = new ProgressPrinter(out(), false);
        printer.update(status);
        while (!status.state().isFinal()) {
          status = next(client);
          printer.update(status);
        }
      }
      out().println(status.detail());
      return status.state() == ReleaseState.SUCCEEDED ? ExitCodes.OK : ExitCodes.RELEASE_FAILED;
    }
  }

  /** The status after a pause; while no worker answers (one restarting, say), says so once and keeps asking. */
  private ReleaseStatus next(WorkflowClient client) throws InterruptedException {
    while (true) {
      Thread.sleep(POLL.toMillis());
      Optional<ReleaseStatus> status = StatusQuery.ask(client, workflowId);
      if (status.isPresent()) {
        toldNoWorker = false;
        return status.get();
      }
      if (!toldNoWorker) {
        err().println(StatusQuery.noWorker() + "; waiting for one (Ctrl-C to stop)");
        toldNoWorker = true;
      }
    }
  }

  /** One bar for the checklist: done stages out of configured ones, with the status line beside it. */
  private ReleaseStatus watchWithBar(WorkflowClient client, ReleaseStatus first) throws InterruptedException {
    ReleaseStatus status = first;
    try (ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(workflowId)
        .setInitialMax(configured(status))
        .setStyle(ProgressBarStyle.ASCII)
        .continuousUpdate()
        .build()) {
      while (true) {
        bar.maxHint(configured(status));
        bar.stepTo(status.stages().stream().filter(s -> s.state().isDone()
            && s.state() != StageState.NOT_CONFIGURED).count());
        bar.setExtraMessage(status.detail());
        if (status.state().isFinal()) {
          return status;
        }
        status = next(client);
      }
    }
  }

  private static long configured(ReleaseStatus status) {
    return status.stages().stream().filter(s -> s.state() != StageState.NOT_CONFIGURED).count();
  }
}
