package dev.durablerelease.cli;

import static dev.durablerelease.worker.Releases.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.testing.Approvers;
import dev.durablerelease.testing.Approvers.Approver;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.TestPolicies;
import dev.durablerelease.worker.LoopbackTemporal;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.Releases;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseWorkflow;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every next step the CLI prints, run as printed, doing what it says: the resume command after release run aborted on
 * its own (blocked, or waiting for an approval nobody could give), the retry, skip, abort and approve commands status
 * lists, the dev server for an address where none answers, the worker and watch commands for a release no worker
 * serves, and list for an unknown release. About two and a half minutes: six small releases, two of them waiting out
 * the upload's retries, and three JVMs started as an operator would.
 */
class SuggestionsTest {
  private static final Pattern QUOTED = Pattern.compile("`release ([^`]+)`");

  @TempDir
  Path tmp;

  private SampleRepository repo;
  private Map<String, String> env;
  private final List<Process> processes = new ArrayList<>();
  private LoopbackTemporal temporal;
  private Approver tester;

  @BeforeEach
  void setUp() {
    repo = SampleRepository.create(tmp.resolve("hello"));
    env = new HashMap<>(Map.of("HOME", tmp.toString(), "USER", "tester"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process process : processes) {
      process.destroyForcibly().waitFor();
    }
    if (temporal != null) {
      temporal.close();
    }
    repo.close();
  }

  @Test
  void theResumeCommandPrintedAfterAnAutomaticAbortFinishesTheReleaseOnceTheCauseIsFixed() throws Exception {
    // the target's folder is inside a regular file: every write fails, is retried, and the upload blocks
    Path blocker = Files.writeString(tmp.resolve("blocker"), "");
    Path spec = Files.writeString(tmp.resolve("release.yaml"), "project: hello\nversion: 1.0.0\nupload: [blocked]\n");
    CliRun first = CliRun.of(env, "run", "--spec", spec.toString(), "--repository", repo.url(), "--target",
        "blocked=" + blocker.resolve("releases"), "--store", tmp.resolve("store").toString(), "--work-dir",
        tmp.resolve("work").toString());
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    // each retry of the upload is one line; the reason it blocked is printed once
    for (int attempt = 2; attempt <= 5; attempt++) {
      assertThat(first.out()).as(first.toString())
          .containsOnlyOnce("  retrying  upload         attempt " + attempt + " after: ");
    }
    assertThat(first.out()).containsPattern("FAILED +upload +[0-9.]+s +aborted automatically \\(for tester\\)\n");
    assertThat(first.err()).containsOnlyOnce("release blocked at upload: ")
        .contains("release aborted automatically (for tester) at upload (no terminal to ask what to do); nothing was"
            + " published\nFix the cause, then resume release-hello-1.0.0, reusing the stages that finished:\n  ")
        .doesNotContain("aborted by");

    Files.delete(blocker);
    CliRun resumed = CliRun.of(env, printed(first.err(), "./release resume"));
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.out()).contains("release release-hello-1.0.0 started (resuming)")
        .contains("released hello 1.0.0").containsPattern("reusing \\d finished stage\\(s\\): buildSource, ");
    assertThat(tmp.resolve("blocker/releases/release.json")).exists();
  }

  @Test
  void theCommandPrintedWhenNobodyCouldApproveFinishesTheReleaseApproved() throws Exception {
    Path spec = Files.writeString(tmp.resolve("release.yaml"), "project: gated\nversion: 1.0.0\ntag: v1.0.0\n");
    CliRun first = CliRun.of(env, "run", "--spec", spec.toString(), "--repository", repo.url(), "--policy",
        policy().toString(), "--store", tmp.resolve("store").toString(), "--work-dir", tmp.resolve("work").toString());
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    assertThat(first.err()).contains("release aborted automatically (for tester) at approval (no terminal to ask for"
        + " approval); nothing was published\nResume release-gated-1.0.0 approved (with your key), reusing the stages"
        + " that finished:\n  ");

    String[] printed = yourKey(printed(first.err(), "./release resume"));
    assertThat(String.join(" ", printed)).endsWith(" --approve --key " + tester.key());
    CliRun approved = CliRun.of(env, printed);
    assertThat(approved.exitCode()).as(approved.toString()).isZero();
    assertThat(approved.out()).contains("approved by tester").contains("released gated 1.0.0");
  }

  @Test
  void theCommandsStatusListsForABlockedOrWaitingReleaseDoWhatTheySay() throws Exception {
    temporal = LoopbackTemporal.start();
    temporal.serve(Releases.localWorker(tmp, "test-worker").withPolicy(TestPolicies.of(Files.readString(policy()))),
        ReleaseWorkers.ALL_QUEUES);
    env.put("TEMPORAL_ADDRESS", temporal.target());

    // retry, once the cause (a missing tag) is fixed
    ReleaseWorkflow untagged = start("release-hello-2.0.0", "project: hello\nversion: 2.0.0\n");
    await("the release to block", () -> untagged.status().state() == ReleaseState.BLOCKED);
    CliRun status = CliRun.of(env, "status", "release-hello-2.0.0");
    repo.tag("v2.0.0");
    assertThat(CliRun.of(env, listed(status.out(), "retry")).exitCode()).isZero();
    await("the retried release to succeed", () -> untagged.status().state() == ReleaseState.SUCCEEDED);

    // skip a stage the spec marks skippable
    ReleaseWorkflow noDocs = start("release-hello-1.0.0", "project: hello\nversion: 1.0.0\n"
        + "docs: {command: \"exit 3\", outputs: [docs/_build/html], skippable: true}\n");
    await("the release to block", () -> noDocs.status().state() == ReleaseState.BLOCKED);
    assertThat(CliRun.of(env, listed(CliRun.of(env, "status", "release-hello-1.0.0").out(), "skip")).exitCode())
        .isZero();
    await("the release to succeed without docs", () -> noDocs.status().state() == ReleaseState.SUCCEEDED);

    // abort
    ReleaseWorkflow failing = start("release-hello-3.0.0", "project: hello\nversion: 3.0.0\n");
    await("the release to block", () -> failing.status().state() == ReleaseState.BLOCKED);
    assertThat(CliRun.of(env, listed(CliRun.of(env, "status", "release-hello-3.0.0").out(), "abort")).exitCode())
        .isZero();
    await("the release to be aborted", () -> failing.status().state() == ReleaseState.ABORTED);

    // approve, with the approver's key where the command shows where it goes
    ReleaseWorkflow waiting = start("release-gated-1.0.0", "project: gated\nversion: 1.0.0\ntag: v1.0.0\n");
    await("the release to wait", () -> waiting.status().state() == ReleaseState.WAITING_FOR_APPROVAL);
    CliRun approve = CliRun.of(env, yourKey(listed(CliRun.of(env, "status", "release-gated-1.0.0").out(),
        "approve")));
    assertThat(approve.exitCode()).as(approve.toString()).isZero();
    await("the approved release to succeed", () -> waiting.status().state() == ReleaseState.SUCCEEDED);

    // a wrong id: list shows what there is
    CliRun unknown = CliRun.of(env, "status", "release-hello-9.9.9");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    CliRun list = CliRun.of(env, quoted(unknown.err(), 0));
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).containsPattern("release-hello-2.0.0 +Succeeded").containsPattern("release-hello-3.0.0"
        + " +Aborted");
  }

  @Test
  void theDevServerAndWorkerTheCliAsksForLetTheReleaseGoOn() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + port);
    CliRun noServer = CliRun.of(env, "list");
    assertThat(noServer.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    start(quoted(noServer.err(), 0), "listening on");
    assertThat(CliRun.of(env, "list").exitCode()).isZero();

    Path spec = Files.writeString(tmp.resolve("release.yaml"), "project: hello\nversion: 1.0.0\n");
    String[] run = {"run", "--spec", spec.toString(), "--repository", repo.url(), "--store",
        tmp.resolve("store").toString()};
    CliRun noWorker = CliRun.of(env, run);
    assertThat(noWorker.exitCode()).as(noWorker.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    CliRun again = CliRun.of(env, run);
    assertThat(again.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(again.out()).contains("release release-hello-1.0.0 is already on the server");
    assertThat(quoted(again.err(), 1)).isEqualTo(quoted(noWorker.err(), 1));

    env.put("DURABLE_RELEASE_POLICY", policy().toString()); // an operator's worker reads their policy
    start(quoted(noWorker.err(), 0), "serving");
    CliRun watch = CliRun.of(env, quoted(noWorker.err(), 1));
    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out()).contains("hello 1.0.0: succeeded");
  }

  /**
   * The operator's policy: hello is released by anyone, signed in dev mode; gated needs the approval of tester, whose
   * key is made here.
   */
  private Path policy() throws IOException {
    if (tester == null) {
      tester = Approvers.create(tmp.resolve("keys"), "tester");
    }
    return Files.writeString(tmp.resolve("policy.yaml"), """
        projects:
          hello: {repositories: ["**"], signing: {mode: dev}}
          gated: {repositories: ["**"], signing: {mode: dev}, approval: {approvals: 1, approvers: [tester]}}
        approvers:
          tester: %s
        """.formatted(tester.publicKey()));
  }

  /** A printed command with the approver's key where it says the operator's key goes. */
  private String[] yourKey(String[] command) {
    return Arrays.stream(command).map(word -> word.equals(StatusView.YOUR_KEY) ? tester.key().toString() : word)
        .toArray(String[]::new);
  }

  private ReleaseWorkflow start(String workflowId, String yaml) throws Exception {
    return Releases.start(temporal.client(), workflowId, SpecLoader.load(yaml, "release.yaml",
        new SpecLoader.Overrides(repo.url(), null)));
  }

  /** Starts a command the CLI suggested in a process of its own, as an operator would, and waits for its line. */
  private void start(String[] args, String ready) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), ReleaseCli.class.getName()));
    command.addAll(Arrays.asList(args));
    Path log = tmp.resolve("process-" + processes.size() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    // a server in the JVM itself, which the test's kill stops with it (the Temporal CLI's would outlive it)
    builder.environment().put("DURABLE_RELEASE_TEMPORAL_CLI", "none");
    processes.add(builder.start());
    await(String.join(" ", args) + " to be ready", () -> Files.readString(log).contains(ready));
  }

  /** The command printed on the line that starts with {@code prefix}, as arguments of the CLI. */
  private static String[] printed(String text, String prefix) {
    String line = text.lines().map(String::trim).filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in:\n" + text));
    return words(line.replace("`", "").replaceFirst("^\\./release |^release ", ""));
  }

  /** The command status lists for a blocked stage, e.g. {@code release retry ID    # after fixing the cause}. */
  private static String[] listed(String status, String verb) {
    Matcher m = Pattern.compile("(?m)^\\s+release (" + verb + " [^#\\n]+?)\\s*(#.*)?$").matcher(status);
    assertThat(m.find()).as("status lists `release " + verb + "`:\n" + status).isTrue();
    return words(m.group(1));
  }

  /** The n-th command quoted as {@code `release ...`} in a message. */
  private static String[] quoted(String message, int n) {
    Matcher m = QUOTED.matcher(message);
    for (int i = 0; i <= n; i++) {
      assertThat(m.find()).as("command " + n + " quoted in:\n" + message).isTrue();
    }
    return words(m.group(1));
  }

  private static String[] words(String command) {
    return command.trim().split("\\s+");
  }
}
