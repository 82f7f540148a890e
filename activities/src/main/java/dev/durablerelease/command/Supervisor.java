package dev.durablerelease.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Watches a running command: reports progress, and kills its whole process tree at the wall-clock limit, when the
 * worker's disk runs low (whatever fills it), or when the caller gives up.
 */
final class Supervisor {
  /** How often a running command reports progress (the activity heartbeats with it). */
  static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 250;

  private final boolean sandboxed;
  private final Path runsRoot;
  private final long keepFreeBytes;

  /**
   * @param sandboxed whether commands run in bubblewrap (whose death takes its whole namespace down)
   * @param runsRoot where the run folders are: the disk that commands write to
   * @param keepFreeBytes the free space below which a command is stopped, so that the worker's disk never fills up
   */
  Supervisor(boolean sandboxed, Path runsRoot, long keepFreeBytes) {
    this.sandboxed = sandboxed;
    this.runsRoot = runsRoot;
    this.keepFreeBytes = keepFreeBytes;
  }

  /**
   * How a command ended.
   *
   * @param exitCode its exit status (128+signal when killed)
   * @param killedAt the limit at which it was killed (the time limit or the worker's free disk), or null
   * @param timedOut whether that was the time limit
   * @param millis how long it ran
   */
  record Ending(int exitCode, String killedAt, boolean timedOut, long millis) {}

  /** Starts {@code argv} with only a PATH, in /, and watches it until it ends or is killed. */
  Ending supervise(List<String> argv, CommandRunner.Command command, CommandRunner.Progress progress)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv)
        .directory(new File("/")) // not the project's folder: nothing host-side starts where the project put files
        .redirectErrorStream(true)
        .redirectOutput(command.log().toFile())
        .redirectInput(new File("/dev/null"));
    builder.environment().clear();
    builder.environment().put("PATH", SandboxCommandLine.HOST_PATH);
    FileStore disk = Files.getFileStore(runsRoot);
    Duration time = command.limits().time();
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      long nextReport = REPORT_INTERVAL.toMillis();
      while (true) {
        if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          return new Ending(process.exitValue(), null, false, elapsedMillis(start));
        }
        long elapsed = elapsedMillis(start);
        if (elapsed >= time.toMillis()) {
          killTree(process);
          return new Ending(process.exitValue(), "the time limit of " + LimitDiagnosis.seconds(time), true, elapsed);
        }
        if (disk.getUsableSpace() < keepFreeBytes) {
          killTree(process);
          return new Ending(process.exitValue(), "the worker's disk running low (under " + Limits.mib(keepFreeBytes)
              + " free where run folders are, " + runsRoot + ")", false, elapsed);
        }
        if (elapsed >= nextReport) {
          progress.report(elapsed, LogTail.of(command.log(), 20), Files.size(command.log()));
          nextReport = elapsed + REPORT_INTERVAL.toMillis();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running: " + command.command(), e);
    } finally {
      if (process.isAlive()) {
        killTree(process);
      }
    }
  }

  private void killTree(Process process) throws IOException {
    // children first: once the parent is gone they would be re-parented out of reach. Sandboxed, the parent (bwrap)
    // then exits by itself once bwrap's init has died, and that init dies only after every process of its PID
    // namespace is gone: waiting for the parent waits for the whole tree
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    if (!sandboxed) {
      process.destroyForcibly();
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while stopping a command", e);
    }
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
