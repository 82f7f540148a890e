package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.contract.StageState;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.TestPolicies;
import dev.durablerelease.testing.WebDavServer;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.Releases;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose upload the server refuses, blocked, then taken up again after the server is fixed, on the real
 * Temporal server, in each of the ways an operator has: {@code release retry}; {@code release abort} and
 * {@code release resume}; {@code temporal workflow terminate} and {@code temporal workflow reset} to the last workflow
 * task; {@code release abort} and {@code temporal workflow reset} to the first workflow task. Each completes with no
 * finished stage doing its work again (counted in the histories of all its runs) and no file sent twice.
 */
class ResumeOnARealServerTest {
  @TempDir
  Path tmp;

  private RealTemporal temporal;
  private WebDavServer dav;
  private SampleRepository repo;
  private Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    temporal = RealTemporal.start(tmp.resolve("temporal"));
    env = temporal.env();
    dav = WebDavServer.start(tmp.resolve("dav"), "dav-secret");
    Files.writeString(tmp.resolve("dav-password"), "dav-secret");
    temporal.serve(Releases.localWorker(tmp, "worker-host").withPolicy(TestPolicies.of("""
        projects:
          hello: {repositories: ["**"], signing: {mode: dev}}
        targets:
          dav: {url: "%s", password: "file:%s", projects: [hello]}
        """.formatted(dav.url("releases/{version}/"), tmp.resolve("dav-password")))), ReleaseWorkers.ALL_QUEUES);
    repo = SampleRepository.create(tmp.resolve("hello"));
  }

  @AfterEach
  void tearDown() throws Exception {
    temporal.close();
    dav.close();
    repo.close();
  }

  @Test
  void aReleaseBlockedAtUploadIsTakenUpFourWaysWithoutRedoingFinishedWork() throws Exception {
    Path spec = Files.writeString(tmp.resolve("release.yaml"), Files.readString(repo.dir().resolve("release.yaml"))
        + "upload: [dav]\n");
    List<String> versions = List.of("1.0.1", "1.0.2", "1.0.3", "1.0.4");
    for (String version : versions) {
      repo.tag("v" + version);
      dav.refusePutsUnder("releases/" + version + "/");
      CliRun start = CliRun.of(env, "start", "--spec", spec.toString(), "--repository", repo.url(),
          "--release-version", version);
      assertThat(start.exitCode()).as(start.toString()).isZero();
    }
    for (String version : versions) {
      Releases.awaitStatus(workflow(version), s -> s.state() == ReleaseState.BLOCKED
          && s.blocked().get(0).stage().equals("upload") && s.blocked().get(0).reason().contains("refused"));
    }

    // 1.0.1: the server is fixed, the operator retries the blocked upload
    dav.acceptPutsUnder("releases/1.0.1/");
    succeed(CliRun.of(env, "retry", "release-hello-1.0.1", "--note", "quota raised"));

    // 1.0.2: aborted (the release failed), the server fixed, resumed as a new run
    succeed(CliRun.of(env, "abort", "release-hello-1.0.2", "--note", "server full"));
    awaitEnded("release-hello-1.0.2");
    dav.acceptPutsUnder("releases/1.0.2/");
    assertThat(succeed(CliRun.of(env, "resume", "release-hello-1.0.2"))).contains("release-hello-1.0.2 resumed as run");

    // 1.0.3: terminated by mistake, then reset to its last workflow task: blocked again where it stood, retried
    temporal.temporal("workflow", "terminate", "--workflow-id", "release-hello-1.0.3", "--reason", "by mistake");
    awaitEnded("release-hello-1.0.3");
    dav.acceptPutsUnder("releases/1.0.3/");
    temporal.temporal("workflow", "reset", "--workflow-id", "release-hello-1.0.3", "--type", "LastWorkflowTask",
        "--reason", "terminated by mistake");
    Releases.awaitStatus(workflow("1.0.3"), s -> s.state() == ReleaseState.BLOCKED);
    succeed(CliRun.of(env, "retry", "release-hello-1.0.3"));

    // 1.0.4: aborted, then reset to its first workflow task (the abort not applied again): the run starts over and
    // finds every stage but the upload done
    succeed(CliRun.of(env, "abort", "release-hello-1.0.4"));
    awaitEnded("release-hello-1.0.4");
    dav.acceptPutsUnder("releases/1.0.4/");
    temporal.temporal("workflow", "reset", "--workflow-id", "release-hello-1.0.4", "--type", "FirstWorkflowTask",
        "--reapply-exclude", "Update", "--reason", "server fixed");

    Map<String, Map<String, Integer>> work = new TreeMap<>();
    for (String version : versions) {
      ReleaseResult result = temporal.client().newUntypedWorkflowStub("release-hello-" + version)
          .getResult(2, TimeUnit.MINUTES, ReleaseResult.class);
      assertThat(result.stages()).filteredOn(s -> s.stage().equals("upload")).singleElement()
          .satisfies(s -> assertThat(s.state()).isEqualTo(StageState.SUCCEEDED));
      work.put(version, RealTemporal.stagesDone(temporal.client(), "release-hello-" + version));
      assertThat(storedPuts(version)).as("files sent for " + version).isNotEmpty()
          .allSatisfy((file, times) -> assertThat(times).as(file).isEqualTo(1L));
      assertThat(storedPuts(version).keySet()).contains("hello-" + version + ".tar.gz", "release.json",
          "hello-" + version + ".tar.gz.sigstore");
    }
    // retry and a reset to the last task go on in the history: nothing done before is done again
    assertThat(work.get("1.0.1")).isEqualTo(RealTemporal.ONCE_EACH);
    assertThat(work.get("1.0.3")).isEqualTo(RealTemporal.ONCE_EACH);
    // a new run (resume, or a reset to the first task) checks out the tag again, to see that it has not moved (and
    // asks the policy again), and takes every other finished stage from the store
    Map<String, Integer> newRun = new TreeMap<>(RealTemporal.ONCE_EACH);
    newRun.put("checkout", 2);
    assertThat(work.get("1.0.2")).isEqualTo(newRun);
    assertThat(work.get("1.0.4")).isEqualTo(newRun);
  }

  private ReleaseWorkflow workflow(String version) {
    return temporal.client().newWorkflowStub(ReleaseWorkflow.class, "release-hello-" + version);
  }

  private void awaitEnded(String workflowId) throws Exception {
    Releases.await(workflowId + " to end", () -> temporal.client().newUntypedWorkflowStub(workflowId).describe()
        .getStatus() != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  /** How many times the WebDAV server stored each file of a version (staging folders aside, by file name). */
  private Map<String, Long> storedPuts(String version) {
    String prefix = "/releases/" + version + "/";
    return dav.storedPuts().stream().filter(p -> p.startsWith(prefix))
        .map(p -> p.substring(p.lastIndexOf('/') + 1))
        .collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
  }

  private static String succeed(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run.out();
  }
}
