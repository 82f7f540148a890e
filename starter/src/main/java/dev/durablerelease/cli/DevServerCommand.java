package dev.durablerelease.cli;

import dev.durablerelease.worker.DevServer;
import dev.durablerelease.worker.EmbeddedTemporal;
import dev.durablerelease.worker.LocalServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code release dev-server}: a Temporal server alone, for workers and commands in other processes. */
@Command(name = "dev-server", mixinStandardHelpOptions = true,
    description = "Run a Temporal server on 127.0.0.1 until stopped (Ctrl-C): the Temporal CLI's dev server, its"
        + " history in the store folder (the one `release run` on the same store uses, and shares), with the Temporal"
        + " UI; without the CLI, Temporal's Java test server, which keeps history in memory.")
class DevServerCommand implements Callable<Integer> {
  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--port", defaultValue = "7233", description = "port on 127.0.0.1 (default 7233; 0 = any free)")
  int port;

  @Option(names = "--ui-port", description = "port of the Temporal UI (default: --port + 1000; 0 = any free)")
  Integer uiPort;

  @Mixin
  StoreOptions storeOptions;

  @Mixin
  LocalServerOption localServer;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    LocalServer local = localServer.choose(root.env(), storeOptions.serverFolder(root.env()));
    if (local.durable()) {
      int ui = uiPort != null ? uiPort : port == 0 ? 0 : port + 1000;
      try (DevServer server = DevServer.open(local.temporalCli(), local.folder(), port, ui)) {
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        out.println("Temporal dev server listening on " + server.target() + " (namespace default, history in "
            + server.database() + "); export TEMPORAL_ADDRESS=" + server.target());
        out.println("Temporal UI: " + server.uiUrl());
        out.flush();
        server.awaitTermination();
      }
      return ExitCodes.OK;
    }
    try (EmbeddedTemporal server = EmbeddedTemporal.start(port)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      out.println("Temporal dev server listening on " + server.target()
          + " (namespace default); export TEMPORAL_ADDRESS=" + server.target());
      out.println(LocalServer.JAVA_TEST_SERVER_LIMITS);
      out.flush();
      server.awaitTermination();
    }
    return ExitCodes.OK;
  }
}
