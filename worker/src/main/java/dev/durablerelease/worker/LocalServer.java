package dev.durablerelease.worker;

import java.nio.file.Path;

/**
 * The server a command starts for itself when no {@code TEMPORAL_ADDRESS} is set: the Temporal CLI's dev server (the
 * real server, its history in a SQLite file in {@code folder}) when a {@code temporal} binary is there, else Temporal's
 * Java test server in this process.
 *
 * @param temporalCli the {@code temporal} binary, or null for the Java test server
 * @param folder where the dev server keeps its SQLite file, log and lock files (unused by the Java test server)
 */
public record LocalServer(Path temporalCli, Path folder) {

  public static LocalServer javaTestServer() {
    return new LocalServer(null, null);
  }

  /** Whether releases outlive the process: only the dev server keeps history on disk. */
  public boolean durable() {
    return temporalCli != null;
  }

  /**
   * What the Java test server cannot do, said once wherever it is used: its limits are why the dev server is the
   * default whenever it can be.
   */
  public static final String JAVA_TEST_SERVER_LIMITS = "Temporal's Java test server keeps history in memory, so a"
      + " release ends with this process (`release resume` then reuses the stages it finished, from the store); it has"
      + " no UI, no visibility queries and no reset. Install the Temporal CLI (`temporal` on the PATH, or"
      + " --temporal-cli) for the real server, durable on disk, with its UI";
}
