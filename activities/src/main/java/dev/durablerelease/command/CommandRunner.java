package dev.durablerelease.command;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a project command with a clean environment and a wall-clock limit, its output going to a log file, reporting
 * progress while it runs, and killing the whole process tree when the limit passes or the caller gives up.
 */
public final class CommandRunner {
  /** How often a running command reports progress (the activity heartbeats with it). */
  static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);
  private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

  /** Receives progress while the command runs; throwing from it stops the command (e.g. the release was cancelled). */
  @FunctionalInterface
  public interface Progress {
    void report(long elapsedMillis, String logTail);
  }

  /**
   * How a command ended.
   *
   * @param exitCode the exit status (128+signal when killed)
   * @param timedOut whether the wall-clock limit killed it
   * @param millis how long it ran
   */
  public record Result(int exitCode, boolean timedOut, long millis) {
    public boolean succeeded() {
      return exitCode == 0 && !timedOut;
    }
  }

  /**
   * @param command shell command line, run with {@code sh -c}
   * @param workDir where it starts
   * @param home its HOME
   * @param env the only variables it sees besides PATH, HOME and LANG
   */
  public Result run(String command, Path workDir, Path home, Map<String, String> env, Duration timeout, Path log,
      Progress progress) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(new File("/dev/null"));
    Map<String, String> environment = pb.environment();
    environment.clear();
    environment.putAll(env);
    environment.put("PATH", PATH);
    environment.put("HOME", home.toString());
    environment.put("LANG", "C.UTF-8");

    long start = System.nanoTime();
    Process process = pb.start();
    try {
      long nextReport = REPORT_INTERVAL.toMillis();
      while (true) {
        if (process.waitFor(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          return new Result(process.exitValue(), false, elapsedMillis(start));
        }
        long elapsed = elapsedMillis(start);
        if (elapsed >= timeout.toMillis()) {
          killTree(process);
          return new Result(process.exitValue(), true, elapsed);
        }
        if (elapsed >= nextReport) {
          progress.report(elapsed, tail(log, 20));
          nextReport = elapsed + REPORT_INTERVAL.toMillis();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running: " + command, e);
    } finally {
      if (process.isAlive()) {
        killTree(process);
      }
    }
  }

  /** The last lines of a log, for heartbeats and failure messages. */
  public static String tail(Path log, int lines) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int window = (int) Math.min(length, 8192);
      byte[] bytes = new byte[window];
      file.seek(length - window);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      String[] all = text.split("\n", -1);
      int end = text.endsWith("\n") ? all.length - 1 : all.length;
      int from = Math.max(0, end - lines);
      // the first line of a partial window may be cut; drop it unless the window is the whole file
      if (from == 0 && window < length && end > 1) {
        from = 1;
      }
      return String.join("\n", java.util.Arrays.asList(all).subList(from, end));
    }
  }

  private static void killTree(Process process) throws IOException {
    // children first: once the shell is gone they would be re-parented out of reach
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping a command", e);
    }
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
