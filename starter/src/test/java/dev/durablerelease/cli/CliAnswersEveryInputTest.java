package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.worker.LoopbackTemporal;
import dev.durablerelease.worker.Releases;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command of the CLI against what a new user or an operator in trouble gives it: no arguments, {@code --help},
 * an unknown option, a Temporal server that is not there (a closed loopback port) and a server where no worker serves
 * the workflow queue. Each answers within seconds with its exit code and a message that says what to do, and never
 * with a stack trace, on stdout, stderr or the log lines the terminal shows. Takes about 50 s, most of it the five
 * seconds each command gives an absent worker to answer.
 *
 * <p>Left out: {@code dev-server} without arguments and {@code worker} against a server run until stopped (that is
 * their work); {@code verify} and {@code dev-server} talk to no server.
 */
class CliAnswersEveryInputTest {
  private static final String ID = "release-hello-1.0.0";
  /** A frame of a Java stack trace, or an exception's class name, anywhere in what the terminal shows. */
  private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(|Exception|\\.java:\\d+");

  @TempDir
  static Path tmp;

  private static LoopbackTemporal temporal;
  private static int closedPort;

  /** Where the command runs: which Temporal server TEMPORAL_ADDRESS names, if any. */
  enum Server { NONE, UNREACHABLE, WITHOUT_WORKER }

  @BeforeAll
  static void startServerWithoutWorkerAndOneReleaseOnIt() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    temporal = LoopbackTemporal.start();
    Instant started = Instant.now();
    Releases.start(temporal.client(), ID, SpecLoader.load("project: hello\nversion: 1.0.0\n", "release.yaml",
        new SpecLoader.Overrides(tmp.resolve("hello").toString(), null)));
    for (String version : List.of("2.0.0", "3.0.0", "4.0.0")) {
      Files.writeString(tmp.resolve("release-" + version + ".yaml"), "project: hello\nversion: " + version + "\n");
    }
    // list tells a release nobody picked up from one just started only after a worker had time to take it
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), started.plus(StatusQuery.WAIT)).toMillis() + 500));
  }

  @AfterAll
  static void stopServer() {
    temporal.close();
  }

  static Stream<Arguments> inputs() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(input(Server.NONE, 0, "Usage: release [-hvV]"));
    cases.add(input(Server.NONE, 0, "Usage: release [-hvV]", "--help"));
    cases.add(input(Server.NONE, 0, "durable-release 0.", "--version"));
    cases.add(input(Server.NONE, 2, "error: Unknown option: '--bogus'; see release --help", "--bogus"));
    cases.add(input(Server.NONE, 2, "error: unknown command 'bogus'; see release --help", "bogus"));
    for (String command : List.of("run", "resume", "start", "status", "watch", "approve", "retry", "skip", "abort",
        "list", "history", "verify", "worker", "dev-server")) {
      cases.add(input(Server.NONE, 0, "Usage: release " + command + " ", command, "--help"));
      cases.add(input(Server.NONE, 0, "durable-release 0.", command, "--version"));
      cases.add(input(Server.NONE, 2, "error: Unknown option: '--bogus'; see release " + command + " --help",
          command, "--bogus"));
    }

    // no arguments
    String give = "error: give --spec FILE, or --repository and --release-version to use the release.yaml committed";
    cases.add(input(Server.NONE, 2, give, "run"));
    cases.add(input(Server.NONE, 2, give, "resume"));
    cases.add(input(Server.NONE, 2, "error: start needs TEMPORAL_ADDRESS", "start"));
    for (String command : List.of("status", "watch", "approve", "retry", "skip", "abort", "history")) {
      cases.add(input(Server.NONE, 2, "error: Missing required parameter: 'ID'; see release " + command + " --help",
          command));
    }
    cases.add(input(Server.NONE, 2, "error: list needs TEMPORAL_ADDRESS (a cluster, or `release dev-server`)",
        "list"));
    cases.add(input(Server.NONE, 2, "error: Missing required", "verify"));
    cases.add(input(Server.NONE, 2, "error: worker needs TEMPORAL_ADDRESS", "worker"));

    // a server that is not there
    String unreachable = "error: no Temporal server answers at 127.0.0.1:%d (TEMPORAL_ADDRESS): Connection refused;"
        + " start a server there (`release dev-server --port %d`) or point TEMPORAL_ADDRESS at one";
    for (String[] args : List.of(run("run", "2.0.0"), run("resume", "2.0.0"), new String[] {"resume", ID},
        new String[] {"start", "--spec", spec("2.0.0"), "--repository", tmp.resolve("hello").toString()},
        new String[] {"status", ID}, new String[] {"watch", ID},
        new String[] {"approve", ID}, new String[] {"retry", ID}, new String[] {"skip", ID, "--stage", "buildDocs"},
        new String[] {"abort", ID}, new String[] {"list"}, new String[] {"history", ID},
        new String[] {"worker", "--dev-policy", "--store", tmp.resolve("store").toString(), "--work-dir",
            tmp.resolve("work").toString()})) {
      cases.add(input(Server.UNREACHABLE, 1, unreachable, args));
    }

    // a server, and no worker for the workflow queue
    String noWorker = "no worker serves the workflow queue release (the release's status query got no answer within"
        + " 5 s)";
    cases.add(input(Server.WITHOUT_WORKER, 1, "error: release release-hello-2.0.0 is started, but " + noWorker
        + "; start workers with `release worker` against this server, then follow it with `release watch"
        + " release-hello-2.0.0`", run("run", "2.0.0")));
    cases.add(input(Server.WITHOUT_WORKER, 1, "error: release release-hello-3.0.0 is started, but " + noWorker,
        run("resume", "3.0.0")));
    cases.add(input(Server.WITHOUT_WORKER, 2, "error: " + ID + " is still running; use retry, skip or abort on it",
        "resume", ID));
    cases.add(input(Server.WITHOUT_WORKER, 0, "release-hello-4.0.0", "start", "--spec", spec("4.0.0"),
        "--repository", tmp.resolve("hello").toString()));
    cases.add(input(Server.WITHOUT_WORKER, 0, noWorker + "; start one with `release worker`. What the server knows:",
        "status", ID));
    cases.add(input(Server.WITHOUT_WORKER, 1, "error: " + noWorker + ", so there is no status to print as JSON",
        "status", ID, "--json"));
    cases.add(input(Server.WITHOUT_WORKER, 1, "error: nothing moves: " + noWorker + "; start one with `release"
        + " worker`, then watch again", "watch", ID));
    for (String decision : List.of("approve", "retry", "abort")) {
      cases.add(input(Server.WITHOUT_WORKER, 1, "error: " + noWorker + ", so " + decision + " was not sent; start"
          + " one with `release worker`, then run this again", decision, ID));
    }
    cases.add(input(Server.WITHOUT_WORKER, 1, "so skip was not sent", "skip", ID, "--stage", "buildDocs"));
    cases.add(input(Server.WITHOUT_WORKER, 0, ID + " has not been picked up since it started at ", "list"));
    cases.add(input(Server.WITHOUT_WORKER, 0, "ReleaseWorkflow", "history", ID));
    cases.add(input(Server.WITHOUT_WORKER, 2, "error: there is no release release-hello-9.9.9 on this server;"
        + " `release list` shows the releases there", "status", "release-hello-9.9.9"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {2}: exit {3}")
  @MethodSource("inputs")
  void answersWithAnExitCodeAndAMessageAndNoStackTrace(Server server, String[] args, String shown, int exitCode,
      String message) {
    Instant start = Instant.now();
    CliRun terminal = CliRun.of(env(server), args);
    assertThat(terminal.exitCode()).as(terminal.toString()).isEqualTo(exitCode);
    assertThat(terminal.all()).as(terminal.toString())
        .contains(message.contains("%d") ? message.formatted(closedPort, closedPort) : message)
        .doesNotContainPattern(STACK_TRACE);
    assertThat(Duration.between(start, Instant.now())).as("answered within seconds")
        .isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void anUnexpectedFailureIsOneErrorLineWithTheStackTraceOnlyWhenAskedForAndAlwaysInTheLogFile() throws Exception {
    String[] args = {"history", ID, "--html", tmp.resolve("no-such-folder/history.html").toString()};
    Path logFile = tmp.resolve("release.log");

    CliRun quiet = CliRun.of(env(Server.WITHOUT_WORKER), concat(args, "--log-file", logFile.toString()));
    assertThat(quiet.exitCode()).as(quiet.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(quiet.err()).startsWith("error: release history failed unexpectedly: ")
        .contains("no-such-folder/history.html; run it again with --verbose to see where (the stack trace is in "
            + logFile + ")");
    assertThat(quiet.err().lines()).hasSize(1);
    assertThat(quiet.log()).isEmpty();
    assertThat(Files.readString(logFile)).contains("ERROR [main] dev.durablerelease.cli.unexpected - release history"
        + " failed").containsPattern(STACK_TRACE);

    CliRun verbose = CliRun.of(env(Server.WITHOUT_WORKER), concat(args, "--verbose"));
    assertThat(verbose.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(verbose.err()).containsPattern(STACK_TRACE);
  }

  private static Arguments input(Server server, int exitCode, String message, String... args) {
    return Arguments.of(server, args, String.join(" ", args), exitCode, message);
  }

  private static String[] run(String command, String version) {
    return new String[] {command, "--spec", spec(version), "--repository", tmp.resolve("hello").toString(),
        "--store", tmp.resolve("store").toString(), "--work-dir", tmp.resolve("work").toString()};
  }

  private static String spec(String version) {
    return tmp.resolve("release-" + version + ".yaml").toString();
  }

  private static Map<String, String> env(Server server) {
    Map<String, String> env = new HashMap<>(Map.of("HOME", tmp.toString(), "USER", "tester"));
    switch (server) {
      case UNREACHABLE -> env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + closedPort);
      case WITHOUT_WORKER -> env.put("TEMPORAL_ADDRESS", temporal.target());
      case NONE -> { }
    }
    return env;
  }

  private static String[] concat(String[] args, String... more) {
    return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
  }
}
