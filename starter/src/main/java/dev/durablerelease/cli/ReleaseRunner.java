package dev.durablerelease.cli;

import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.workflow.ArtifactRef;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.TemporalFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts a release, prints its progress until it ends, and copies its files out of the store. */
final class ReleaseRunner {
  private static final Duration POLL = Duration.ofMillis(300);

  private final WorkflowClient client;
  private final PrintWriter out;
  private final PrintWriter err;

  ReleaseRunner(WorkflowClient client, PrintWriter out, PrintWriter err) {
    this.client = client;
    this.out = out;
    this.err = err;
  }

  /** Runs the release to its end; returns the exit code. */
  int run(ReleaseRequest request, ArtifactStore store, Path outDir) throws IOException, InterruptedException {
    long start = System.nanoTime();
    WorkflowExecution execution = ReleaseStarter.start(client, request);
    out.println("release " + execution.getWorkflowId() + " started");
    ReleaseWorkflow workflow = client.newWorkflowStub(ReleaseWorkflow.class, execution.getWorkflowId());
    CompletableFuture<ReleaseResult> result =
        client.newUntypedWorkflowStub(execution.getWorkflowId()).getResultAsync(ReleaseResult.class);
    ProgressPrinter progress = new ProgressPrinter(out);
    while (!result.isDone()) {
      progress.update(workflow.status());
      try {
        result.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // not done yet, or done with a failure handled below
      }
    }
    ReleaseStatus last = workflow.status();
    progress.update(last);
    try {
      ReleaseResult released = result.get();
      List<String> exported = outDir == null ? List.of() : export(store, released, outDir);
      out.printf("released %s %s (tag %s, commit %s) in %.1f s%n", released.project(), released.version(),
          released.tag(), released.commit(), (System.nanoTime() - start) / 1e9);
      if (outDir != null) {
        out.println(exported.size() + " files in " + outDir);
      }
      for (String target : released.published()) {
        out.println("published to " + target);
      }
      out.flush();
      return ExitCodes.OK;
    } catch (ExecutionException e) {
      err.println("release " + execution.getWorkflowId() + " failed: " + failureMessage(e.getCause()));
      err.flush();
      return ExitCodes.RELEASE_FAILED;
    }
  }

  /** Copies the release's files from the store into a folder, as a target would receive them. */
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

  private static String failureMessage(Throwable failure) {
    Throwable cause = failure instanceof WorkflowFailedException ? failure.getCause() : failure;
    if (cause instanceof TemporalFailure temporal) {
      return temporal.getOriginalMessage();
    }
    return String.valueOf(cause);
  }
}
