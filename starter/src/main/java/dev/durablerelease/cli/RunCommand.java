package dev.durablerelease.cli;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.policy.Domain;
import dev.durablerelease.worker.TemporalConnection;
import dev.durablerelease.worker.TemporalSession;
import dev.durablerelease.workflow.ReleaseRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code release run}: one release, start to end, waiting for it and showing its stages. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a release end to end and wait for it. With no TEMPORAL_ADDRESS, every worker runs in this"
        + " process beside a Temporal server of its own: the Temporal CLI's dev server (history on disk in the store"
        + " folder, so running the same command again after a crash continues the release), or, without the CLI,"
        + " Temporal's Java test server (history in memory). When a stage blocks, asks at the terminal (retry, skip,"
        + " abort); without a terminal, aborts and prints the resume command. A release its targets already hold is not"
        + " made again: the run says so and succeeds.")
class RunCommand implements Callable<Integer> {
  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  ReleaseInput input;

  @Mixin
  StoreOptions storeOptions;

  @Mixin
  SandboxOption sandbox;

  @Mixin
  PolicyOptions policy;

  @Mixin
  LocalServerOption localServer;

  @Option(names = "--out", paramLabel = "DIR",
      description = "copy the release's files (archives, SBOMs, SHA256SUMS, release.json) into DIR")
  Path out;

  @Option(names = "--approve", description = "approve the release when it waits for approval (with --key where the"
      + " operator's policy wants approvals signed)")
  boolean approve;

  @Option(names = "--key", paramLabel = "FILE",
      description = "your SSH key, to sign the approval of --approve: the private key, or its .pub file when"
          + " ssh-agent holds it")
  Path key;

  @Override
  public Integer call() throws Exception {
    return run(input.request());
  }

  int run(ReleaseRequest request) throws Exception {
    // the workers in this process (the embedded default) read the policy; on a cluster the cluster's workers do
    WorkerContext context = policy.apply(sandbox.apply(storeOptions.context(root.env())), root.env(), Domain.ALL,
        true);
    try (TemporalSession session = TemporalSession.open(TemporalConnection.fromEnvironment(root.env()), context,
        localServer.choose(root.env(), storeOptions.serverFolder(root.env())))) {
      command.commandLine().getOut().println("using " + session.describe());
      ReleaseRunner runner = new ReleaseRunner(session.client(), !session.servedQueues().isEmpty(),
          command.commandLine().getOut(), command.commandLine().getErr(), root.operator(command.commandLine().getOut()),
          approve, resumeCommand(), key);
      return runner.run(request, context.store(), out);
    }
  }

  /** The command line that resumes this release: the same arguments, with resume for run. */
  private String resumeCommand() {
    List<String> args = command.commandLine().getParseResult().originalArgs();
    StringBuilder sb = new StringBuilder("./release");
    boolean replaced = false;
    for (String arg : args) {
      String word = !replaced && arg.equals("run") ? "resume" : arg;
      replaced |= arg.equals("run");
      sb.append(' ').append(word.matches("[A-Za-z0-9_./:=@,+-]+") ? word : "'" + word.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
