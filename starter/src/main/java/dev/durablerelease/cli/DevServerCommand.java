package dev.durablerelease.cli;

import dev.durablerelease.worker.EmbeddedTemporal;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code release dev-server}: the embedded Temporal server alone, for workers in other processes. */
@Command(name = "dev-server", mixinStandardHelpOptions = true,
    description = "Run Temporal's Java test server on 127.0.0.1 until stopped (Ctrl-C). History is kept in memory.")
class DevServerCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--port", defaultValue = "7233", description = "port on 127.0.0.1 (default 7233; 0 = any free)")
  int port;

  @Override
  public Integer call() throws Exception {
    try (EmbeddedTemporal server = EmbeddedTemporal.start(port)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      command.commandLine().getOut().println("Temporal dev server listening on " + server.target()
          + " (namespace default); export TEMPORAL_ADDRESS=" + server.target());
      command.commandLine().getOut().flush();
      server.awaitTermination();
    }
    return ExitCodes.OK;
  }
}
