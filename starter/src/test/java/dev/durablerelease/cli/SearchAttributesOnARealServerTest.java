package dev.durablerelease.cli;

import static dev.durablerelease.worker.Releases.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster without the release search attributes: a worker serving workflows refuses to start (an upsert of an
 * unknown attribute would stall every release) and prints the Temporal CLI commands that create them; once they are
 * run as printed, it starts.
 */
class SearchAttributesOnARealServerTest {
  @TempDir
  Path tmp;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (Process process : processes) {
      process.destroy();
      process.waitFor();
    }
  }

  @Test
  void aWorkerRefusesAClusterWithoutTheSearchAttributesUntilTheTemporalCliCreatesThem() throws Exception {
    Path cli = RequiredTools.temporal();
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    String address = "127.0.0.1:" + port;
    // a bare dev server, as a cluster is before anyone registered anything (no UI needed)
    processes.add(new ProcessBuilder(cli.toString(), "server", "start-dev", "--ip", "127.0.0.1", "--port",
        String.valueOf(port), "--headless").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("server.log").toFile()).start());
    await("the dev server to answer", () -> new ProcessBuilder(cli.toString(), "operator", "cluster", "health",
        "--address", address).start().waitFor() == 0);

    // in a process of its own: a worker that does not refuse serves until stopped
    Process refusing = worker(address, tmp.resolve("refused.log"));
    assertThat(refusing.waitFor(1, TimeUnit.MINUTES)).as("the worker refuses at once").isTrue();
    String refused = Files.readString(tmp.resolve("refused.log"));
    assertThat(refusing.exitValue()).as(refused).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused).contains("namespace default lacks the search attributes [ReleaseProject,"
        + " ReleaseVersion, ReleaseStage, ReleaseStatus]");

    // the fix, exactly as printed
    Matcher command = Pattern.compile("temporal (operator search-attribute create .*)").matcher(refused);
    int created = 0;
    while (command.find()) {
      List<String> args = new ArrayList<>(List.of(command.group(1).split(" ")));
      RealTemporal.temporal(cli, address, args.toArray(String[]::new));
      created++;
    }
    assertThat(created).isEqualTo(4);

    Path log = tmp.resolve("worker.log");
    worker(address, log);
    await("the worker to start", () -> Files.readString(log).contains("serving release at " + address));
  }

  /** {@code release worker --queues workflows} against the server, output to a log. */
  private Process worker(String address, Path log) throws Exception {
    ProcessBuilder worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReleaseCli.class.getName(), "worker", "--queues", "workflows",
        "--dev-policy", "--store", tmp.resolve("store").toString(), "--work-dir", tmp.resolve("work").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    worker.environment().put("TEMPORAL_ADDRESS", address);
    Process process = worker.start();
    processes.add(0, process); // stopped before the server
    return process;
  }
}
