package dev.durablerelease.cli;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.worker.TemporalConnection;
import dev.durablerelease.worker.TemporalSession;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code release run}: one release, start to end, waiting for it and showing its stages. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a release end to end and wait for it. With no TEMPORAL_ADDRESS, Temporal and every worker run"
        + " in this process.")
class RunCommand implements Callable<Integer> {
  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  ReleaseInput input;

  @Mixin
  StoreOptions storeOptions;

  @Option(names = "--out", paramLabel = "DIR",
      description = "copy the release's files (archives, SBOMs, SHA256SUMS, release.json) into DIR")
  Path out;

  @Override
  public Integer call() throws Exception {
    ReleaseRequest request = input.request();
    WorkerContext context = storeOptions.context(root.env());
    try (TemporalSession session = TemporalSession.open(TemporalConnection.fromEnvironment(root.env()), context)) {
      command.commandLine().getOut().println("using " + session.describe());
      return new ReleaseRunner(session.client(), command.commandLine().getOut(), command.commandLine().getErr())
          .run(request, context.store(), out);
    }
  }
}
