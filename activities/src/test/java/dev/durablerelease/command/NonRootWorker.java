package dev.durablerelease.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A worker's command runner in a JVM of its own, for {@link NonRootWorkerTest} to start as a user that is not root:
 * runs each command given under a process limit and prints how it ended, one line each.
 *
 * <p>Arguments: {@code sandboxed|unsandboxed PROCESSES COMMAND...}
 */
public final class NonRootWorker {
  private NonRootWorker() {}

  public static void main(String[] args) throws Exception {
    CommandRunner runner = args[0].equals("sandboxed") ? CommandRunner.sandboxed() : CommandRunner.unsandboxed();
    try {
      runner.requireUsable();
    } catch (SandboxUnavailableException e) {
      System.out.println("refused: " + e.getMessage());
      return;
    }
    System.out.println("whole tree: " + runner.limitsWholeTree() + ", disk per command: "
        + runner.limitsDiskPerCommand());
    Limits limits = Limits.forTime(Duration.ofSeconds(30)).withProcesses(Integer.parseInt(args[1]));
    for (int i = 2; i < args.length; i++) {
      try (RunFolder folder = runner.newRunFolder("non-root-worker", limits)) {
        Path log = folder.dir().resolve("command.log");
        CommandRunner.Result result = runner.run(new CommandRunner.Command(args[i], folder, folder.work(),
            folder.work(), Map.of(), limits, log), (e, t, b) -> { });
        System.out.println("exit " + result.exitCode() + ", limit: " + result.limit() + ", log: "
            + LogTail.of(log, 1));
      }
    }
  }
}
