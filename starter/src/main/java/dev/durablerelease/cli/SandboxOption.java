package dev.durablerelease.cli;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.command.CommandRunner;
import picocli.CommandLine.Option;

/** Whether the workers of a command sandbox project code (they do unless told otherwise). */
class SandboxOption {
  @Option(names = "--unsafe-no-sandbox",
      description = "run test and docs commands without bubblewrap (host file system and network visible) when"
          + " bubblewrap cannot start here; only for projects and hosts you trust. Results are marked unsandboxed in"
          + " release.json and the provenance")
  boolean unsafeNoSandbox;

  WorkerContext apply(WorkerContext context) {
    return context.withCommands(unsafeNoSandbox ? CommandRunner.unsandboxed() : CommandRunner.sandboxed());
  }
}
