package dev.durablerelease.cli;

import static dev.durablerelease.worker.Releases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.worker.LoopbackTemporal;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.Releases;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watching, deciding and reconstructing releases from the CLI, as release managers do. */
class OperatingReleasesCliTest {
  @TempDir
  Path tmp;

  private LoopbackTemporal temporal;
  private ReleaseWorkers workers;
  private SampleRepository repo;
  private Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    temporal = LoopbackTemporal.start();
    workers = temporal.serve(Releases.localWorker(tmp, "test-worker"), ReleaseWorkers.ALL_QUEUES);
    repo = SampleRepository.create(tmp.resolve("hello"));
    env = new HashMap<>(Map.of("TEMPORAL_ADDRESS", temporal.target(), "USER", "tester"));
  }

  @AfterEach
  void tearDown() {
    temporal.close();
    repo.close();
  }

  private ReleaseWorkflow start(String id, String yaml) throws Exception {
    return Releases.start(temporal.client(), id, SpecLoader.load(yaml, "release.yaml",
        new SpecLoader.Overrides(repo.url(), null)));
  }

  @Test
  void statusFromASecondProcessShowsTheRunningStageAndItsHeartbeat() throws Exception {
    start("release-hello-1.0.0", """
        project: hello
        version: 1.0.0
        test: {command: "echo compiling widgets; sleep 40; make test"}
        """);
    // wait until the server holds a heartbeat of the running test command
    await("a heartbeat from testSource", () -> temporal.stubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId("release-hello-1.0.0")).build())
        .getPendingActivitiesList().stream()
        .anyMatch(a -> a.getActivityType().getName().equals("testSource") && a.hasHeartbeatDetails()));

    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReleaseCli.class.getName(), "status", "release-hello-1.0.0")
        .redirectErrorStream(true);
    pb.environment().put("TEMPORAL_ADDRESS", temporal.target());
    Process status = pb.start();
    String output = new String(status.getInputStream().readAllBytes());
    assertThat(status.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(status.exitValue()).as(output).isZero();
    assertThat(output).contains("release-hello-1.0.0  hello 1.0.0  Running")
        .containsPattern("testSource +running")
        .containsPattern("testSource: attempt 1, \\d+s in, last output: compiling widgets")
        .containsPattern("checkout +succeeded +1");
  }

  @Test
  void blockedReleaseIsListedBySearchAttributeThenSkippedFromTheCli() throws Exception {
    ReleaseWorkflow workflow = start("release-hello-1.0.0", """
        project: hello
        version: 1.0.0
        docs: {command: "echo no sphinx here >&2; exit 127", outputs: [docs/_build/html], skippable: true}
        """);
    await("the release to block", () -> workflow.status().state() == ReleaseState.BLOCKED);

    CliRun list = CliRun.of(env, "list", "--status", "Blocked");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).containsPattern("release-hello-1.0.0 +Blocked +buildDocs +hello +1.0.0");
    assertThat(CliRun.of(env, "list", "--status", "Succeeded").out()).doesNotContain("release-hello-1.0.0");

    CliRun status = CliRun.of(env, "status", "release-hello-1.0.0");
    assertThat(status.out()).contains("blocked at buildDocs:").contains("no sphinx here")
        .contains("release skip release-hello-1.0.0 --stage buildDocs");

    CliRun refused = CliRun.of(env, "retry", "release-hello-1.0.0", "--stage", "testSource");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err()).contains("retry refused: testSource is not blocked; blocked: buildDocs");

    CliRun skip = CliRun.of(env, "skip", "release-hello-1.0.0", "--stage", "buildDocs", "--note", "no sphinx");
    assertThat(skip.exitCode()).as(skip.toString()).isZero();
    assertThat(skip.out()).contains("skipping buildDocs");
    await("the release to succeed", () -> workflow.status().state() == ReleaseState.SUCCEEDED);
    assertThat(CliRun.of(env, "list", "--project", "hello").out())
        .containsPattern("release-hello-1.0.0 +Succeeded");
  }

  @Test
  void listOrdersByVersionAndFiltersFinalsOrPreReleases() throws Exception {
    // started as release start does (with the version scheme in the memo); their tags do not exist: they block
    // started in neither version nor text order, so that the listing can only be in version order by sorting so
    for (String version : List.of("1.10.0", "1.2.0", "1.10.0rc1")) {
      ReleaseStarter.start(temporal.client(), ReleaseRequest.of(SpecLoader.load(
          "project: hello\nversionScheme: pep440\n", "release.yaml", new SpecLoader.Overrides(repo.url(), version))));
    }
    await("the releases to block", () -> CliRun.of(env, "list", "--status", "Blocked").out().lines()
        .filter(line -> line.startsWith("release-hello-1.")).count() == 3);

    CliRun list = CliRun.of(env, "list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    // by version, greatest first: as PEP 440 orders them, not as text (1.2.0 > 1.10.0)
    assertThat(list.out().lines().filter(line -> line.startsWith("release-hello-1.")).map(line -> line.split(" +")[4]))
        .containsExactly("1.10.0", "1.10.0rc1", "1.2.0");
    assertThat(list.out()).containsPattern("release-hello-1.10.0rc1 +Blocked +checkout +hello +1.10.0rc1 +rc ");
    assertThat(CliRun.of(env, "list", "--finals").out()).contains("release-hello-1.10.0 ", "release-hello-1.2.0 ")
        .doesNotContain("1.10.0rc1");
    assertThat(CliRun.of(env, "list", "--prereleases").out()).contains("release-hello-1.10.0rc1")
        .doesNotContain("release-hello-1.2.0").doesNotContain("release-hello-1.10.0 ");
    CliRun both = CliRun.of(env, "list", "--finals", "--prereleases");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(both.err()).contains("--finals and --prereleases exclude each other");
  }

  @Test
  void historyShowsEveryStageAndWritesASelfContainedPage() throws Exception {
    ReleaseWorkflow workflow = start("release-hello-1.0.0", Files.readString(repo.dir().resolve("release.yaml")));
    await("the release to end", () -> workflow.status().state().isFinal());
    Path page = tmp.resolve("history.html");

    CliRun history = CliRun.of(env, "history", "release-hello-1.0.0", "--html", page.toString());
    assertThat(history.exitCode()).as(history.toString()).isZero();
    String html = Files.readString(page);
    for (String stage : List.of("checkout", "buildSource", "testSource", "buildDocs", "generateSbom",
        "writeManifest")) {
      assertThat(history.out()).containsPattern(stage + " +1 +[0-9.]+s +completed");
      assertThat(html).contains("<td>" + stage + "</td>");
    }
    assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("http://")
        .doesNotContain("https://").contains("succeeded");
  }

  @Test
  void runAtATerminalAsksTheOperatorAndGoesOn() throws Exception {
    workers.close(); // run is embedded here: its own server and workers
    env.remove("TEMPORAL_ADDRESS");
    Path spec = Files.writeString(tmp.resolve("release.yaml"), """
        project: hello
        version: 1.0.0
        test: {command: "exit 1", skippable: true}
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReleaseCli.execute(new String[] {"run", "--spec", spec.toString(), "--repository", repo.url(),
            "--store", tmp.resolve("store").toString(), "--work-dir", tmp.resolve("cli-work").toString()},
        env, new BufferedReader(new StringReader("maybe\nskip\n")), new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("testSource is blocked; what now? [retry/skip/abort]")
        .contains("skipping testSource").containsPattern("skipped +testSource .*skipped by tester");
  }

  @Test
  void killedEmbeddedRunIsResumedReusingTheStagesItFinished() throws Exception {
    workers.close();
    env.remove("TEMPORAL_ADDRESS");
    Path spec = Files.writeString(tmp.resolve("release.yaml"), """
        project: hello
        version: 1.0.0
        test: {command: make test}
        docs: {command: "sleep 8 && make docs", outputs: [docs/_build/html]}
        """);
    List<String> args = List.of("--spec", spec.toString(), "--repository", repo.url(),
        "--store", tmp.resolve("cli-store").toString(), "--work-dir", tmp.resolve("cli-work").toString(),
        "--out", tmp.resolve("out").toString());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReleaseCli.class.getName(), "run"));
    command.addAll(args);
    ProcessBuilder runner = new ProcessBuilder(command).redirectErrorStream(true);
    // the in-memory server, whose history dies with the process: what the store's stage records are for
    runner.environment().put("DURABLE_RELEASE_TEMPORAL_CLI", "none");
    Process run = runner.start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(run.getInputStream()));
    StringBuilder seen = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      seen.append(line).append('\n');
      if (line.matches("\\s*done\\s+testSource.*")) {
        break;
      }
    }
    assertThat(seen).as("the first run got as far as the tests").contains("done      testSource");
    run.destroyForcibly().waitFor(); // kill -9: the embedded server and its history die with it
    assertThat(tmp.resolve("out")).doesNotExist();

    List<String> resume = new ArrayList<>(List.of("resume"));
    resume.addAll(args);
    CliRun resumed = CliRun.of(env, resume.toArray(String[]::new));
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    JsonNode manifest = new ObjectMapper().readTree(tmp.resolve("out/release.json").toFile());
    Map<String, String> states = new HashMap<>();
    manifest.get("stages").forEach(s -> states.put(s.get("stage").asText(), s.get("state").asText()));
    assertThat(states).containsEntry("buildSource", "reused").containsEntry("testSource", "reused")
        .containsEntry("buildDocs", "succeeded").containsEntry("checkout", "succeeded");
    assertThat(resumed.out()).contains("reusing 2 finished stage(s): buildSource, testSource");
  }

}
