package dev.durablerelease.cli;

import dev.durablerelease.contract.StageState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;

/** {@code release watch ID}: follow a release until it ends. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Follow a release until it ends: a live bar on a terminal, one line per stage change otherwise.")
class WatchCommand extends ReleaseCommand {
  private static final Duration POLL = Duration.ofMillis(500);

  @Override
  public Integer call() throws Exception {
    try (Cluster cluster = connect()) {
      ReleaseWorkflow workflow = cluster.client().newWorkflowStub(ReleaseWorkflow.class, workflowId);
      ReleaseStatus status = workflow.status();
      if (root.hasTerminal()) {
        status = watchWithBar(workflow, status);
      } else {
        ProgressPrinter printer = new ProgressPrinter(out());
        printer.update(status);
        while (!status.state().isFinal()) {
          Thread.sleep(POLL.toMillis());
          status = workflow.status();
          printer.update(status);
        }
      }
      out().println(status.detail());
      return status.state() == dev.durablerelease.workflow.ReleaseState.SUCCEEDED ? ExitCodes.OK
          : ExitCodes.RELEASE_FAILED;
    }
  }

  /** One bar for the checklist: done stages out of configured ones, with the status line beside it. */
  private ReleaseStatus watchWithBar(ReleaseWorkflow workflow, ReleaseStatus first) throws InterruptedException {
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
        Thread.sleep(POLL.toMillis());
        status = workflow.status();
      }
    }
  }

  private static long configured(ReleaseStatus status) {
    return status.stages().stream().filter(s -> s.state() != StageState.NOT_CONFIGURED).count();
  }
}
