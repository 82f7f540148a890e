package dev.durablerelease.cli;

import dev.durablerelease.worker.DevServer;
import dev.durablerelease.worker.LocalServer;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which Temporal server a command starts for itself when no TEMPORAL_ADDRESS is set. */
class LocalServerOption {
  @Option(names = "--temporal-cli", paramLabel = "PATH",
      description = "the Temporal CLI whose dev server (the real Temporal server, its history in a SQLite file in the"
          + " store folder, with the Temporal UI) runs releases when no TEMPORAL_ADDRESS is set (default"
          + " $" + DevServer.CLI_VARIABLE + ", else `temporal` on the PATH); " + DevServer.NONE + " for Temporal's"
          + " Java test server in this process, which keeps history in memory")
  String temporalCli;

  /** The dev server, its files in {@code folder}, when the Temporal CLI is there; else the Java test server. */
  LocalServer choose(Map<String, String> env, Path folder) {
    Path cli;
    try {
      cli = DevServer.locate(temporalCli, env).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (cli == null) {
      return LocalServer.javaTestServer();
    }
    return new LocalServer(cli, folder);
  }
}
