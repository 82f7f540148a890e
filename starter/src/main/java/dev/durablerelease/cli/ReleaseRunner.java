package dev.durablerelease.cli;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.workflow.BlockedStage;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.TemporalFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a release, prints its progress until it ends, copies its files out of the store, and, since the process that
 * runs an embedded release owns its server, answers for the operator when the release blocks or waits for approval:
 * it asks at a terminal, and without one it aborts (publishing nothing), says that it did so on its own, and prints
 * the command that resumes the release when resuming can end otherwise.
 */
final class ReleaseRunner {
  private static final Duration POLL = Duration.ofMillis(300);
  /** Running stages' heartbeats (fetch progress) and retries come from the server's description of the workflow. */
  private static final Duration DESCRIBE_EVERY = Duration.ofSeconds(1);

  private final WorkflowClient client;
  private final boolean ownWorkers;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Operator operator;
  private final boolean preApproved;
  private final String resumeCommand;
  /** The operator's SSH key that signs approvals (run --approve --key), or null. */
  private final Path approvalKey;
  /** What to do next, printed after the end of a release this runner aborted on its own; null while it has not. */
  private String nextStep;

  /**
   * @param ownWorkers whether the workers are this process's own (they always answer, if slowly)
   * @param preApproved approve the release when it waits for approval (run --approve)
   * @param resumeCommand the command that resumes this release, printed when it is aborted for want of an operator
   * @param approvalKey the operator's SSH key that signs approvals, or null
   */
  ReleaseRunner(WorkflowClient client, boolean ownWorkers, PrintWriter out, PrintWriter err, Operator operator,
      boolean preApproved, String resumeCommand, Path approvalKey) {
    this.client = client;
    this.ownWorkers = ownWorkers;
    this.out = out;
    this.err = err;
    this.operator = operator;
    this.preApproved = preApproved;
    this.resumeCommand = resumeCommand;
    this.approvalKey = approvalKey;
  }

  /** Runs the release to its end; returns the exit code. */
  int run(ReleaseRequest request, ArtifactStore store, Path outDir) throws IOException, InterruptedException {
    long start = System.nanoTime();
    WorkflowExecution execution;
    try {
      execution = ReleaseStarter.start(client, request);
      out.println("release " + execution.getWorkflowId() + " started" + (request.resume() ? " (resuming)" : ""));
    } catch (WorkflowExecutionAlreadyStarted e) {
      // on a server that keeps history (the dev server after a crash of the process that ran it, a cluster): the
      // same command again follows the release where it stands instead of starting it twice
      execution = e.getExecution();
      ReleaseStarter.requireSameRelease(client, execution, request);
      out.println("release " + execution.getWorkflowId() + " is already on the server (run " + execution.getRunId()
          + "); continuing it from its history");
    }
    String workflowId = execution.getWorkflowId();
    ReleaseWorkflow workflow = client.newWorkflowStub(ReleaseWorkflow.class, workflowId);
    CompletableFuture<ReleaseResult> result = resultOf(execution);
    ProgressPrinter progress = new ProgressPrinter(out, true);
    Set<String> handled = new HashSet<>();
    long nextDescribe = 0;
    ServerOutage outage = new ServerOutage();
    while (true) {
      if (result.isDone()) {
        if (!outage.lostTheServer(result)) {
          break;
        }
        result = resultOf(execution);
      }
      Optional<ReleaseStatus> status;
      try {
        status = StatusQuery.ask(client, workflowId);
        outage.back();
      } catch (StatusRuntimeException e) {
        outage.away(e);
        Thread.sleep(POLL.toMillis());
        continue;
      }
      if (status.isEmpty()) {
        // a worker that is there but slow has taken the release's first task; without one nothing will happen
        if (!ownWorkers && !StatusQuery.pickedUp(client, workflowId)) {
          err.println("error: release " + workflowId + " is started, but " + StatusQuery.noWorker() + "; start"
              + " workers with `release worker` against this server, then follow it with `release watch "
              + workflowId + "`");
          return ExitCodes.UNAVAILABLE;
        }
        Thread.sleep(POLL.toMillis()); // a server that has seen no poller yet answers at once
        continue;
      }
      progress.update(status.get());
      if (System.nanoTime() - nextDescribe > 0) {
        nextDescribe = System.nanoTime() + DESCRIBE_EVERY.toNanos();
        List<StatusView.Running> running = running(workflowId);
        progress.retries(running);
        progress.progress(running);
      }
      answer(workflow, workflowId, status.get(), handled);
      try {
        result.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // not done yet, or done with a failure handled below
      }
    }
    try {
      StatusQuery.ask(client, workflowId).ifPresent(progress::update);
    } catch (StatusRuntimeException e) {
      // the last lines are only shown; the result below says how the release ended
    }
    ReleaseResult released;
    try {
      released = result.get();
    } catch (ExecutionException e) {
      // the release's own end message says what happened (and what an abort left on the targets)
      err.println(failureMessage(e.getCause()));
      if (nextStep != null) {
        err.println(nextStep);
      }
      err.flush();
      return ExitCodes.RELEASE_FAILED;
    }
    String headline;
    if (released.alreadyPublished()) {
      headline = String.format("%s %s (tag %s, commit %s) is already published: every target holds its files and"
          + " release.json sha256:%s; nothing was made, signed or rewritten", released.project(),
          released.version(), released.tag(), released.commit(), released.manifest().sha256());
    } else {
      long reused = released.stages().stream().filter(s -> s.state() == StageState.REUSED).count();
      headline = String.format("%s %s %s (tag %s, commit %s) in %.1f s%s", request.dryRun() ? "dry run of" : "released",
          released.project(), released.version(), released.tag(), released.commit(),
          (System.nanoTime() - start) / 1e9,
          reused > 0 ? ", reusing " + reused + " finished stage(s): " + reusedStages(released) : "");
    }
    return finished(headline, released, request.dryRun(), store, outDir);
  }

  /** Prints how the release ended and copies its files to the output folder. */
  private int finished(String headline, ReleaseResult released, boolean dryRun, ArtifactStore store, Path outDir)
      throws IOException {
    out.println(headline);
    if (outDir != null) {
      out.println(export(store, released, outDir).size() + " files in " + outDir + ", checked against their digests");
    }
    for (String target : released.published()) {
      out.println((released.alreadyPublished() ? "already published to " : "published to ") + target);
    }
    if (dryRun) {
      out.println("dry run: nothing was published");
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The release's running activities; none when the server cannot say right now (progress is only shown). */
  private List<StatusView.Running> running(String workflowId) {
    try {
      return StatusView.running(client, workflowId);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private CompletableFuture<ReleaseResult> resultOf(WorkflowExecution execution) {
    return client.newUntypedWorkflowStub(execution.getWorkflowId()).getResultAsync(ReleaseResult.class);
  }

  /**
   * Rides out a server that is briefly away (the dev server restarted on its SQLite file): calls that fail to reach it
   * are said once and repeated, until it has been away too long.
   */
  private final class ServerOutage {
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private long awaySince;

    /** The server answered again. */
    void back() {
      if (awaySince != 0) {
        out.println("Temporal is back; following the release again");
        out.flush();
        awaySince = 0;
      }
    }

    /** Whether a finished result call only lost the server (so the call is to be made again). */
    boolean lostTheServer(CompletableFuture<ReleaseResult> result) {
      try {
        result.getNow(null);
        return false;
      } catch (CompletionException e) {
        if (e.getCause() instanceof WorkflowServiceException lost) {
          away(lost);
          return true;
        }
        return false;
      }
    }

    /** The server did not answer: said once, then waited for, until it has been away too long. */
    void away(RuntimeException e) {
      long now = System.nanoTime();
      if (awaySince == 0) {
        awaySince = now;
        out.println("cannot reach Temporal (" + firstLine(e) + "); waiting for it to come back");
        out.flush();
      } else if (now - awaySince > PATIENCE.toNanos()) {
        throw e;
      }
    }
  }

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Decides for a blocked or waiting release, once per blocked attempt. */
  private void answer(ReleaseWorkflow workflow, String id, ReleaseStatus status, Set<String> handled)
      throws IOException {
    if (status.state() == ReleaseState.BLOCKED) {
      BlockedStage blocked = status.blocked().get(0);
      if (!handled.add("blocked " + blocked.stage() + " " + attempts(status, blocked.stage()))) {
        return;
      }
      err.println("release blocked at " + blocked.stage() + ": " + blocked.reason());
      err.flush();
      if (!StatusView.canChange(blocked)) {
        // the reason says what to do instead; no command is printed, none would help
        abortAutomatically(workflow, blocked.stage(), "retrying or resuming cannot change this", null);
        return;
      }
      if (!operator.present()) {
        abortAutomatically(workflow, blocked.stage(), "no terminal to ask what to do",
            "Fix the cause, then resume " + id + ", reusing the stages that finished:\n  " + resumeCommand);
        return;
      }
      List<String> choices = new ArrayList<>(List.of("retry"));
      if (blocked.skippable()) {
        choices.add("skip");
      }
      choices.add("abort");
      String choice = operator.choose(blocked.stage() + " is blocked; what now?", choices.toArray(String[]::new));
      send(workflow, choice, blocked.stage(), "chosen at the terminal of release run");
    } else if (status.state() == ReleaseState.WAITING_FOR_APPROVAL && handled.add("approval")) {
      if (preApproved) {
        send(workflow, "approve", "approval", "approved in advance with release run --approve");
      } else if (operator.present()) {
        String choice = operator.choose("release " + status.project() + " " + status.version()
            + " is ready to publish; approve?", "approve", "abort");
        send(workflow, choice, "approval", "answered at the terminal of release run");
      } else {
        abortAutomatically(workflow, "approval", "no terminal to ask for approval",
            "Resume " + id + " approved (with your key), reusing the stages that finished:\n  " + resumeCommand
                + (resumeCommand.contains(" --approve") ? "" : " --approve")
                + (resumeCommand.contains(" --key") ? "" : " --key " + StatusView.YOUR_KEY));
      }
    }
  }

  /** Aborts on the operator's behalf, recorded as automatic, and keeps what to do next for the end. */
  private void abortAutomatically(ReleaseWorkflow workflow, String stage, String note, String next) {
    try {
      workflow.abort(OperatorAction.automatic(stage, operator.name(), note));
      nextStep = next;
    } catch (WorkflowUpdateException e) {
      err.println("abort refused: " + failureMessage(e.getCause()));
      err.flush();
    }
  }

  private void send(ReleaseWorkflow workflow, String verb, String stage, String note) throws IOException {
    String signature = null;
    if (verb.equals("approve") && approvalKey != null) {
      try {
        signature = DecisionSigner.sign(approvalKey, workflow.status().approval().statement());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while signing the approval", e);
      }
    }
    OperatorAction action = new OperatorAction(stage, operator.name(), note, signature);
    try {
      String answer = switch (verb) {
        case "retry" -> workflow.retry(action);
        case "skip" -> workflow.skip(action);
        case "approve" -> workflow.approve(action);
        default -> workflow.abort(action);
      };
      out.println("  " + answer);
      out.flush();
    } catch (WorkflowUpdateException e) {
      err.println(verb + " refused: " + failureMessage(e.getCause()));
      err.flush();
    }
  }

  private static int attempts(ReleaseStatus status, String stage) {
    return status.stages().stream().filter(s -> s.stage().equals(stage)).mapToInt(StageStatus::attempts)
        .findFirst().orElse(0);
  }

  private static String reusedStages(ReleaseResult result) {
    return String.join(", ", result.stages().stream()
        .filter(s -> s.state() == StageState.REUSED).map(StageStatus::stage).toList());
  }

  /**
   * Copies the release's files from the store into a folder, as a target would receive them; each copy is checked
   * against its digest on the way.
   */
  static List<String> export(ArtifactStore store, ReleaseResult result, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    List<ArtifactRef> files = new ArrayList<>(result.artifacts());
    files.add(result.checksums());
    files.add(result.manifest());
    List<String> names = new ArrayList<>();
    for (ArtifactRef file : files) {
      store.copyTo(file, outDir.resolve(file.name()));
      names.add(file.name());
    }
    return names;
  }

  static String failureMessage(Throwable failure) {
    Throwable cause = failure instanceof WorkflowFailedException ? failure.getCause() : failure;
    if (cause instanceof TemporalFailure temporal) {
      return temporal.getOriginalMessage();
    }
    return String.valueOf(cause);
  }
}
