package dev.durablerelease.activities;

import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandProgress;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.GrantRequest;
import dev.durablerelease.activity.LimitsGrant;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.archive.ArchiveEntry;
import dev.durablerelease.archive.ArchiveUnpacker;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.archive.DirectoryEntries;
import dev.durablerelease.command.Ceilings;
import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.command.Limits;
import dev.durablerelease.command.LogTail;
import dev.durablerelease.command.RunFolder;
import dev.durablerelease.command.SandboxUnavailableException;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.policy.CeilingsPolicy;
import dev.durablerelease.spec.ArtifactNames;
import dev.durablerelease.spec.Durations;
import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.store.BlobIntegrityException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project command on a fresh unpack of the built archive (never on a checkout, so tests see exactly what ships):
 * unpack, run sandboxed with heartbeats, store the log, archive the declared outputs. Each run has a folder of its
 * own, deleted afterwards, so a docs run never sees a test run's files. Defaults above the project's ceilings are
 * lowered to them.
 */
final class CommandStage {
  private final WorkerContext context;

  CommandStage(WorkerContext context) {
    this.context = context;
  }

  /** Grants the command's limits when they are within the project's ceilings in this worker's policy. */
  LimitsGrant grant(GrantRequest request, String stageId) {
    return StageActivity.run(context, stage -> {
      requireWithinCeilings(request.project(), request.limits(), stageId);
      return new LimitsGrant(request.limits() == null ? "the defaults" : request.limits().toString(),
          stage.finished());
    });
  }

  CommandReport run(CommandInput input) {
    return StageActivity.reusable(context, input.stage(), input, input.resume(), CommandReport.class, stage -> {
      // checked again here: a command never runs with more than the operator allows
      Ceilings ceilings = requireWithinCeilings(input.project(), input.limits(), input.stage());
      ActivityExecutionContext activity = Activity.getExecutionContext();
      CommandRunner runner = context.commands();
      try {
        runner.requireUsable();
      } catch (SandboxUnavailableException e) {
        // retried: another worker of the queue may sandbox it
        throw ApplicationFailure.newFailure(context.identity() + ": " + e.getMessage(), Failures.SANDBOX_UNAVAILABLE);
      }
      Limits limits = ceilings.lower(Limits.forTime(Durations.parse(input.timeout()))).with(input.limits());
      try (RunFolder folder = runner.newRunFolder(runName(activity, stage.attempt()), limits)) {
        Path top = unpack(input, folder);
        Path home = Files.createDirectories(folder.work().resolve("home"));
        Path log = folder.dir().resolve(input.stage() + ".log");
        CommandRunner.Result result = runner.run(
            new CommandRunner.Command(input.command(), folder, top, home, input.env(), limits, log),
            (elapsed, tail, bytes) -> activity.heartbeat(new CommandProgress(elapsed, tail, bytes)));
        ArtifactRef logRef = context.store().put(log, input.topFolder() + "-" + input.stage() + ".log",
            ArtifactKind.LOG);
        if (!result.succeeded()) {
          throw new StageFailure(Failures.COMMAND_FAILED, failureMessage(input, result, log, logRef));
        }
        List<ArtifactRef> outputs = new ArrayList<>();
        for (String output : input.outputs()) {
          outputs.addAll(archiveOutput(input, top, output, folder.dir()));
        }
        return new CommandReport(logRef, outputs, result.millis(), stage.finished().withSandbox(runner.isolation()));
      }
    });
  }

  /**
   * Unpacks the archive into the work folder, only once every byte of it matched its digest: unpacking stops at the
   * tar's end marker, before the end of the stream where a reading check would come. So the archive is first copied
   * out of the store, checked as it goes (a damaged blob is quarantined), and unpacked from that copy. Returns the
   * archive's top folder, where the command starts.
   */
  private Path unpack(CommandInput input, RunFolder folder) throws IOException {
    ArtifactRef archive = input.archive();
    Path copy = folder.dir().resolve(archive.name());
    try {
      context.store().copyTo(archive, copy);
    } catch (BlobIntegrityException e) {
      if (e.localCopy()) {
        throw e;
      }
      throw new StageFailure(Failures.DIGEST_MISMATCH, archive.name() + " cannot be used: " + e.getMessage()
          + ". Nothing was run on it; resume the release (release resume) to build it again");
    }
    try (InputStream in = Files.newInputStream(copy)) {
      ArchiveUnpacker.unpack(in, folder.work().resolve("src"));
    } catch (IOException e) {
      if (folder.full()) {
        throw new StageFailure(Failures.INVALID_SPEC, input.stage() + ": the unpacked source of "
            + archive.name() + " does not fit " + folder.diskLimit() + "; raise limits.disk in the spec");
      }
      throw e;
    } finally {
      Files.delete(copy);
    }
    return folder.work().resolve("src").resolve(input.topFolder());
  }

  private List<ArtifactRef> archiveOutput(CommandInput input, Path top, String output, Path runDir)
      throws IOException {
    Path folder = top.resolve(output).normalize();
    // the command may have left symlinks anywhere in its folder: archive only what really lies inside it, or a
    // link to the worker's own files would publish them
    Path work = runDir.resolve("work").toRealPath();
    if (!folder.startsWith(top) || !Files.isDirectory(folder) || !folder.toRealPath().startsWith(work)) {
      throw new StageFailure(Failures.COMMAND_FAILED, "docs output folder " + output + " was not produced by `"
          + input.command() + "`; fix docs.outputs or the command");
    }
    String base = ArtifactNames.docsArchiveBase(input.outputName(), input.topFolder(), output);
    Map<String, Path> files = new LinkedHashMap<>();
    for (String format : input.formats()) {
      files.put(format, runDir.resolve(base + "." + format));
    }
    List<ArchiveEntry> entries;
    try {
      entries = DirectoryEntries.list(folder.toRealPath(), base);
    } catch (DirectoryEntries.RefusedEntryException e) {
      throw new StageFailure(Failures.COMMAND_FAILED, "docs output " + output + " cannot be published: "
          + e.getMessage() + "; the docs archive may hold only files, folders and links that stay inside it. Change `"
          + input.command() + "` so that it copies such files instead");
    }
    ArchiveWriter.write(entries, input.commitTime(), files);
    List<ArtifactRef> refs = new ArrayList<>();
    for (Path file : files.values()) {
      refs.add(context.store().put(file, file.getFileName().toString(), ArtifactKind.DOCS_ARCHIVE));
    }
    return refs;
  }

  private static String failureMessage(CommandInput input, CommandRunner.Result result, Path log, ArtifactRef logRef)
      throws IOException {
    String what = result.timedOut()
        ? "was killed at " + result.limit()
        : "exited with status " + result.exitCode() + " after " + result.millis() / 1000.0 + " s"
            + (result.limit() != null ? ", stopped by " + result.limit() : "");
    return input.stage() + ": `" + input.command() + "` " + what + "; log " + logRef.name() + " (sha256:"
        + logRef.sha256() + "), last lines:\n" + LogTail.of(log, 20);
  }

  /** The project's ceilings in this worker's policy, when the limits are within them. */
  private Ceilings requireWithinCeilings(String project, LimitsSpec limits, String stageId) {
    Ceilings ceilings = CeilingsPolicy.of(context.policy().project(project).ceilings());
    List<String> exceeded = ceilings.exceededBy(limits);
    if (!exceeded.isEmpty()) {
      throw new StageFailure(Failures.POLICY_REFUSED, stageId + " of " + project + " asks for more than "
          + context.policy().describe() + " allows: " + String.join("; ", exceeded) + "; lower "
          + (stageId.equals("testSource") ? "test" : "docs") + ".limits in release.yaml, or the operator raises"
          + " projects: " + project + ": ceilings:");
    }
    return ceilings;
  }

  private static String runName(ActivityExecutionContext activity, int attempt) {
    return (activity.getInfo().getWorkflowId() + "-" + activity.getInfo().getActivityId() + "-" + attempt)
        .replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
