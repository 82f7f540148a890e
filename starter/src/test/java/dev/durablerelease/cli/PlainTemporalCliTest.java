package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.testing.Approvers;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.TestPolicies;
import dev.durablerelease.testing.WebDavServer;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.Releases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release driven with nothing but the plain Temporal CLI against the real server ({@code temporal server
 * start-dev}), and read in the Temporal UI that server serves, in headless chromium.
 */
class PlainTemporalCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DAV_PASSWORD = "dav-secret-" + System.nanoTime();

  @TempDir
  static Path tmp;

  private static RealTemporal temporal;
  private static WebDavServer dav;
  private static SampleRepository repo;
  private static Approvers.Approver erin;

  @BeforeAll
  static void setUp() throws Exception {
    temporal = RealTemporal.start(tmp.resolve("temporal"));
    dav = WebDavServer.start(tmp.resolve("dav"), DAV_PASSWORD);
    Files.writeString(tmp.resolve("dav-password"), DAV_PASSWORD);
    erin = Approvers.create(tmp.resolve("keys"), "erin");
    // the operator's policy, read by the workers: dev signing, erin's approval, a WebDAV target whose password the
    // upload worker reads from a file
    temporal.serve(Releases.localWorker(tmp, "worker-host").withPolicy(TestPolicies.of("""
        projects:
          hello: {repositories: ["**"], signing: {mode: dev}, approval: {approvals: 1, approvers: [erin]}}
        approvers:
          erin: %s
        targets:
          dav: {url: "%s", password: "file:%s", projects: [hello]}
        """.formatted(erin.publicKey(), dav.url("releases/{version}/"), tmp.resolve("dav-password")))),
        ReleaseWorkers.ALL_QUEUES);
    repo = SampleRepository.create(tmp.resolve("hello"));
    // the spec the release reads from its tag: docs fail (skippable); the files go to the policy's target
    repo.writeFile("release.yaml", """
        project: hello
        version: 1.0.0
        test: {command: make test}
        docs: {command: "echo sphinx-build: command not found >&2; exit 127", outputs: [docs/_build/html], \
        skippable: true}
        upload: [dav]
        """);
    repo.commitAll("release with docs and an upload");
    repo.tag("v1.0.0");
    repo.tag("v1.0.1");
  }

  @AfterAll
  static void tearDown() throws Exception {
    temporal.close();
    dav.close();
    repo.close();
  }

  @Test
  void aReleaseDrivenWithThePlainTemporalCliEndsSignedAndItsHistoryHoldsNoSecret() throws Exception {
    String id = "release-hello-1.0.1";
    temporal.temporal("workflow", "start", "--type", "ReleaseWorkflow", "--task-queue", "release",
        "--workflow-id", id, "--input", "{\"repository\": \"" + repo.url() + "\", \"version\": \"1.0.1\"}");

    JsonNode blocked = awaitStatus(id, s -> s.path("state").asText().equals("BLOCKED"));
    assertThat(blocked.path("blocked").get(0).path("stage").asText()).isEqualTo("buildDocs");
    assertThat(blocked.path("blocked").get(0).path("reason").asText()).contains("sphinx-build: command not found");
    awaitListed("ReleaseStatus=\"Blocked\" AND ReleaseProject=\"hello\" AND ReleaseVersion=\"1.0.1\"", id);

    String skipped = temporal.temporal("workflow", "update", "execute", "--workflow-id", id, "--name", "skip",
        "--input", "{\"stage\": \"buildDocs\", \"operator\": \"alice\", \"note\": \"docs host down\"}");
    assertThat(skipped).contains("skipping buildDocs");

    awaitStatus(id, s -> s.path("state").asText().equals("WAITING_FOR_APPROVAL"));
    awaitListed("ReleaseStatus=\"WaitingForApproval\" AND ReleaseVersion=\"1.0.1\"", id);
    approve(id, erin);

    JsonNode result = temporal.temporalJson("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    JsonNode released = result.path("result");
    assertThat(released.path("project").asText()).isEqualTo("hello");
    assertThat(stageState(released, "buildDocs")).isEqualTo("SKIPPED");
    assertThat(stageState(released, "approval")).isEqualTo("SUCCEEDED");
    assertThat(stageState(released, "sign")).isEqualTo("SUCCEEDED");
    assertThat(stageState(released, "upload")).isEqualTo("SUCCEEDED");
    assertThat(dav.root().resolve("releases/1.0.1/hello-1.0.1.tar.gz.sigstore")).exists();
    awaitListed("ReleaseStatus=\"Succeeded\" AND ReleaseProject=\"hello\"", id);

    // a server that keeps history refuses to make a release twice, and the same id with other input is refused
    Path spec = Files.writeString(tmp.resolve("again.yaml"), Files.readString(repo.dir().resolve("release.yaml")));
    CliRun again = CliRun.of(temporal.env(), "start", "--spec", spec.toString(), "--repository", repo.url(),
        "--release-version", "1.0.1");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(again.err()).startsWith("error: release " + id + " is already on the server").doesNotContain("\tat ");
    CliRun other = CliRun.of(temporal.env(), "run", "--spec", spec.toString(), "--repository", repo.url(),
        "--release-version", "1.0.1", "--store", tmp.resolve("cli-store").toString());
    assertThat(other.exitCode()).as(other.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(other.err()).contains("is already on the server, started with other input");

    // everything the server keeps of the release: the upload password, the signing identity and the approver's key
    // stay with the workers and the approver that hold them
    String history = temporal.temporal("workflow", "show", "--workflow-id", id, "--output", "json");
    // the workers kept sticky execution: after the first, workflow tasks went to the queue of the worker holding
    // the release's state (a real server times that queue out if the worker dies; the Java test server does not)
    assertThat(history).contains("TASK_QUEUE_KIND_STICKY");
    String payloads = decodedPayloads(JSON.readTree(history));
    assertThat(payloads).contains("BEGIN SSH SIGNATURE"); // erin's approval: a signature, never her key
    for (String text : List.of(history, payloads)) {
      assertThat(text).doesNotContain(DAV_PASSWORD).doesNotContain("PRIVATE KEY")
          .doesNotContainPattern("eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"); // a JWT (identity token)
    }
  }

  @Test
  void theTemporalUiListsTheBlockedReleaseAndShowsItsSummaryDetailsAndChecklist() throws Exception {
    Path chromium = RequiredTools.chromium();
    Path spec = Files.writeString(tmp.resolve("ui-release.yaml"), Files.readString(repo.dir().resolve("release.yaml")));
    CliRun start = CliRun.of(temporal.env(), "start", "--spec", spec.toString(), "--repository", repo.url(),
        "--release-version", "1.0.0");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    String id = "release-hello-1.0.0";
    awaitStatus(id, s -> s.path("state").asText().equals("BLOCKED"));
    String runId = temporal.temporalJson("workflow", "describe", "--workflow-id", id)
        .path("workflowExecutionInfo").path("execution").path("runId").asText();

    Path shots = Files.createDirectories(Path.of("target/temporal-ui"));
    String namespace = temporal.ui() + "/namespaces/default/workflows";
    Process ui = new ProcessBuilder("node", RequiredTools.nodeTools().resolve("temporal-ui.mjs").toString(),
        chromium.toString(), shots.toString(),
        "workflow-list", namespace + "?query=" + java.net.URLEncoder.encode("ReleaseStatus=\"Blocked\"",
            StandardCharsets.UTF_8), id,
        "--", "release-page", namespace + "/" + id + "/" + runId + "/user-metadata",
        "hello 1.0.0 from v1.0.0", "hello 1.0.0: blocked at buildDocs", "checkout v1.0.0", "buildSource tar.gz",
        "testSource: make test", "buildDocs: echo sphinx-build: command not found")
        .redirectErrorStream(true).start();
    String output = new String(ui.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ui.waitFor()).as(output).isZero();
    assertThat(Files.readString(shots.resolve("workflow-list.txt"))).contains(id).doesNotContain("release-hello-1.0.1");
    assertThat(Files.readString(shots.resolve("release-page.txt"))).contains("Current Details")
        .contains("hello 1.0.0: blocked at buildDocs: buildDocs:");
    assertThat(shots.resolve("workflow-list.png")).isNotEmptyFile();
    assertThat(shots.resolve("release-page.png")).isNotEmptyFile();

    CliRun abort = CliRun.of(temporal.env(), "abort", id);
    assertThat(abort.exitCode()).as(abort.toString()).isZero();
  }

  /**
   * The approval gate, as an approver opens it with the plain CLI: the statement from the status query, signed with
   * their SSH key in durable-release's namespace (as `release approve --key` does), sent with the approve update.
   */
  private static void approve(String workflowId, Approvers.Approver approver) throws Exception {
    String statement = awaitStatus(workflowId, s -> s.path("approval").hasNonNull("statement"))
        .path("approval").path("statement").asText();
    String input = JSON.writeValueAsString(Map.of("operator", approver.name(), "signature", approver.sign(statement)));
    String answer = temporal.temporal("workflow", "update", "execute", "--workflow-id", workflowId, "--name",
        "approve", "--input", input);
    assertThat(answer).contains("approved by " + approver.name());
  }

  /** Polls {@code temporal workflow query --name status} until the status matches. */
  private static JsonNode awaitStatus(String workflowId, Predicate<JsonNode> condition) throws Exception {
    JsonNode[] last = new JsonNode[1];
    try {
      Releases.await(workflowId + " to reach the expected status", () -> {
        last[0] = temporal.temporalJson("workflow", "query", "--workflow-id", workflowId, "--name", "status")
            .path("queryResult").get(0);
        return condition.test(last[0]);
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last status: " + last[0], e);
    }
    return last[0];
  }

  /** Polls {@code temporal workflow list --query}: visibility is eventually consistent. */
  private static void awaitListed(String query, String workflowId) throws Exception {
    Releases.await(workflowId + " to be listed by " + query, () -> {
      List<String> ids = new ArrayList<>();
      temporal.temporalJson("workflow", "list", "--query", query)
          .forEach(w -> ids.add(w.path("execution").path("workflowId").asText()));
      return ids.contains(workflowId);
    });
  }

  private static String stageState(JsonNode result, String stage) {
    for (JsonNode s : result.path("stages")) {
      if (s.path("stage").asText().equals(stage)) {
        return s.path("state").asText();
      }
    }
    return "missing";
  }

  /** Every payload in a history as the JSON it carries (the CLI prints their bytes in base64). */
  private static String decodedPayloads(JsonNode node) {
    StringBuilder out = new StringBuilder();
    if (node.isObject() && node.has("metadata") && node.path("data").isTextual()) {
      out.append(new String(Base64.getDecoder().decode(node.path("data").asText()), StandardCharsets.UTF_8))
          .append('\n');
    }
    for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
      out.append(decodedPayloads(field.getValue()));
    }
    if (node.isArray()) {
      node.forEach(element -> out.append(decodedPayloads(element)));
    }
    return out.toString();
  }
}
