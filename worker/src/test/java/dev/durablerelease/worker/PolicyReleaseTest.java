package dev.durablerelease.worker;

import static dev.durablerelease.worker.Releases.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.testing.Approvers;
import dev.durablerelease.testing.Approvers.Approver;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.Tools;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's policy holds against what a pushed tag, a forged approval or a greedy command would try: real
 * releases on Temporal's test server, with real git repositories, real SSH keys checked by ssh-keygen, and a real
 * listening socket that must never hear from the upload worker.
 */
class PolicyReleaseTest extends SampleReleaseTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Approver erin;
  private Approver frank;
  private Approver grace;
  private Approver mallory;
  private Path published;

  @BeforeEach
  void setUp() {
    Path keys = tmp.resolve("keys");
    erin = Approvers.create(keys, "erin");
    frank = Approvers.create(keys, "frank");
    grace = Approvers.create(keys, "grace");
    mallory = Approvers.create(keys, "mallory");
    published = tmp.resolve("published");
  }

  /** Workers whose policy releases hello (dev signing) with these extra sections, to a folder only hello may use. */
  private void policy(String helloSections) {
    usePolicy("""
        projects:
          hello:
            repositories: ["**"]
            signing: {mode: dev}
        %s
          other: {repositories: ["**"]}
        approvers:
          erin: %s
          frank: %s
          grace: %s
        targets:
          published: {url: "%s", projects: [hello]}
          attic: {url: "%s", projects: [other]}
        """.formatted(helloSections.indent(4).stripTrailing(), erin.publicKey(), frank.publicKey(),
        grace.publicKey(), published.toUri(), tmp.resolve("attic").toUri()));
    startWorkers();
  }

  private ReleaseSpec spec(String extra) throws Exception {
    return SpecLoader.load("project: hello\nversion: 1.0.0\n" + extra, "release.yaml",
        new SpecLoader.Overrides(repo.url(), null));
  }

  /** The tag's own release.yaml, rewritten as whoever can push a tag could. */
  private void pushTagWithSpec(String yaml) {
    repo.writeFile("release.yaml", yaml).commitAll("release.yaml of the attacker");
    repo.tag(SampleRepository.TAG);
  }

  private static StageStatus stage(ReleaseStatus status, String id) {
    return status.stages().stream().filter(s -> s.stage().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void aTagThatSendsASecretToItsOwnServerIsRefusedBeforeAnyConnectionIsMade() throws Exception {
    Path secret = Files.writeString(tmp.resolve("other-project-password"), "s3cret-of-another-project");
    try (ServerSocket attacker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread listener = new Thread(() -> {
        while (!attacker.isClosed()) {
          try (Socket ignored = attacker.accept()) {
            connections.incrementAndGet();
          } catch (IOException e) {
            return; // closed
          }
        }
      });
      listener.start();
      pushTagWithSpec("""
          project: hello
          version: 1.0.0
          upload:
            - url: http://attacker@127.0.0.1:%d/dav/
              password: file:%s
          """.formatted(attacker.getLocalPort(), secret));
      policy("");
      ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-hello-1.0.0",
          new ReleaseRequest(repo.url(), "1.0.0", null, null, null));

      ReleaseStatus blocked = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
      assertThat(blocked.blocked()).singleElement().satisfies(b -> {
        assertThat(b.stage()).isEqualTo("checkout");
        assertThat(b.reason()).contains("upload[0].url: publish targets are the operator's")
            .contains("upload[0].password").doesNotContain("s3cret");
      });
      workflow.abort(new OperatorAction(null, "tester", "a tag tried to choose where secrets go"));
      assertThat(connections).hasValue(0);
      assertThat(env.getWorkflowClient().fetchHistory("release-hello-1.0.0").toJson(true))
          .doesNotContain("s3cret");
    }
  }

  @Test
  void aTargetNotGrantedToTheProjectIsRefusedBeforeCheckoutStarts() throws Exception {
    policy("");
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-hello-1.0.0",
        spec("upload: [attic]\n"));
    ReleaseStatus blocked = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("checkPolicy");
      assertThat(b.reason()).contains("target attic of the operator's policy test-policy.yaml is not granted to"
          + " project hello");
    });
    assertThat(stage(blocked, "checkout").attempts()).as("nothing was fetched").isZero();
    workflow.abort(new OperatorAction(null, "tester", null));
    assertThat(tmp.resolve("attic")).doesNotExist();
  }

  @Test
  void aTagAskingForDevSigningIsRefusedWhereThePolicySignsPublicly() throws Exception {
    pushTagWithSpec("project: hello\nversion: 1.0.0\nsign: {mode: dev}\n");
    usePolicy("""
        projects:
          hello:
            repositories: ["**"]
            signing:
              identityToken: env:SIGSTORE_ID_TOKEN
              expectIdentity: https://github.com/example/hello/.github/workflows/release.yml@refs/tags/v{version}
              expectIssuer: https://token.actions.githubusercontent.com
        """);
    startWorkers();
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-hello-1.0.0",
        new ReleaseRequest(repo.url(), "1.0.0", null, null, null));
    ReleaseStatus blocked = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("checkout");
      assertThat(b.reason()).contains("sign: signing moved to the operator's policy");
    });
    assertThat(stage(blocked, "sign").attempts()).isZero();
    workflow.abort(new OperatorAction(null, "tester", null));
  }

  @Test
  void aLimitAboveTheCeilingIsRefusedBeforeAnyBuildWork() throws Exception {
    policy("ceilings: {memory: 1GiB, processes: 512}");
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-hello-1.0.0",
        spec("test: {command: make test, limits: {memory: 8GiB, processes: 64}}\n"));
    ReleaseStatus blocked = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("checkPolicy");
      assertThat(b.reason()).contains("testSource of hello asks for more than the operator's policy")
          .contains("memory 8GiB is above the ceiling of 1GiB").doesNotContain("processes");
    });
    assertThat(stage(blocked, "buildSource").attempts()).isZero();
    workflow.abort(new OperatorAction(null, "tester", null));
  }

  @Test
  void twoOfThreeApproversMustSignAndEveryForgedApprovalIsRefusedRecordingNothing() throws Exception {
    policy("approval: {approvals: 2, approvers: [erin, frank, grace]}");
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-hello-1.0.0",
        spec("upload: [published]\n"));
    ReleaseStatus waiting = awaitStatus(workflow, s -> s.state() == ReleaseState.WAITING_FOR_APPROVAL);
    String statement = waiting.approval().statement();
    assertThat(statement).contains("\"version\" : \"1.0.0\"").contains("hello-1.0.0.tar.gz")
        .contains(WorkflowStub.fromTyped(workflow).getExecution().getRunId());

    refused(workflow, new OperatorAction(null, "erin", null), "needs an approver's signature");
    refused(workflow, signed(mallory, statement), "not the key of an approver");
    refused(workflow, signed(erin, statement.replace("\"version\" : \"1.0.0\"", "\"version\" : \"1.0.1\"")),
        "does not verify over this release's statement");
    // a signature erin made for another release: its workflow and run differ
    String otherRelease = statement.replace("release-hello-1.0.0", "release-hello-0.9.0")
        .replace(WorkflowStub.fromTyped(workflow).getExecution().getRunId(), "b1e1c0de-0000-4000-8000-000000000000");
    refused(workflow, signed(erin, otherRelease), "does not verify over this release's statement");
    // the right text, signed for something else than a release decision (git's namespace)
    refused(workflow, new OperatorAction(null, "erin", null, erin.signIn("git", statement)),
        "does not verify over this release's statement");
    ReleaseStatus untouched = workflow.status();
    assertThat(untouched.approval().approvedBy()).isEmpty();
    assertThat(untouched.operatorEvents()).isEmpty();

    String erinsSignature = erin.sign(statement);
    assertThat(workflow.approve(new OperatorAction(null, "anyone", "checked", erinsSignature)))
        .isEqualTo("approved by erin (1 of 2)");
    refused(workflow, new OperatorAction(null, "erin", null, erinsSignature), "already sent");
    // ed25519 signatures are deterministic: the same key's signature, only wrapped otherwise, is still erin's
    refused(workflow, new OperatorAction(null, "erin", null, rewrapped(erinsSignature)),
        "erin (SHA256:");
    assertThat(workflow.status().state()).isEqualTo(ReleaseState.WAITING_FOR_APPROVAL);
    assertThat(workflow.approve(signed(grace, statement))).isEqualTo("approved by grace (2 of 2)");

    ReleaseResult result = WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
    assertThat(result.operatorEvents()).extracting(e -> e.operator()).containsExactly("erin", "grace");
    JsonNode approvals = JSON.readTree(published.resolve("release.json").toFile()).get("approvals");
    assertThat(approvals).extracting(a -> a.get("approver").asText()).containsExactly("erin", "grace");
    // anyone can check the recorded approvals with OpenSSH alone
    for (JsonNode approval : approvals) {
      Path dir = Files.createDirectories(tmp.resolve("check-" + approval.get("approver").asText()));
      Files.writeString(dir.resolve("allowed_signers"), approval.get("approver").asText() + " "
          + approval.get("publicKey").asText() + "\n");
      Files.writeString(dir.resolve("statement.sig"), approval.get("signature").asText());
      Path statementFile = Files.writeString(dir.resolve("statement.json"), approval.get("statement").asText());
      String verified = Tools.run(dir, "sh", "-c", "ssh-keygen -Y verify -f allowed_signers -I "
          + approval.get("approver").asText() + " -n " + SignedDecision.NAMESPACE + " -s statement.sig < "
          + statementFile);
      assertThat(verified).contains("Good \"" + SignedDecision.NAMESPACE + "\" signature for "
          + approval.get("approver").asText());
    }
    JsonNode provenance = JSON.readTree(published.resolve("provenance.intoto.json").toFile());
    List<String> byproducts = new ArrayList<>();
    provenance.at("/predicate/runDetails/byproducts").forEach(b -> byproducts.add(b.get("name").asText()));
    assertThat(byproducts).contains("approval:erin", "approval:grace");
  }

  /** The same armored signature with its base64 on one line. */
  private static String rewrapped(String armored) {
    List<String> lines = armored.strip().lines().toList();
    return lines.get(0) + "\n" + String.join("", lines.subList(1, lines.size() - 1)) + "\n"
        + lines.get(lines.size() - 1) + "\n";
  }

  private static OperatorAction signed(Approver approver, String statement) {
    return new OperatorAction(null, approver.name(), null, approver.sign(statement));
  }

  private static void refused(ReleaseWorkflow workflow, OperatorAction action, String reason) {
    assertThatThrownBy(() -> workflow.approve(action)).isInstanceOf(WorkflowUpdateException.class)
        .cause().hasMessageContaining(reason);
  }

  @Test
  void aSkipNeedsAnApproversSignatureWhereThePolicySaysSo() throws Exception {
    policy("approval: {approvals: 1, approvers: [erin], signedSkips: true}");
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-hello-1.0.0",
        spec("docs: {command: \"exit 3\", outputs: [site], skippable: true}\n"));
    ReleaseStatus blocked = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    String skipStatement = blocked.blocked().get(0).skipStatement();
    assertThat(skipStatement).contains("\"decision\" : \"skip\"").contains("\"stage\" : \"buildDocs\"");
    assertThatThrownBy(() -> workflow.skip(new OperatorAction("buildDocs", "erin", null)))
        .isInstanceOf(WorkflowUpdateException.class).cause().hasMessageContaining("needs an approver's signature");
    assertThatThrownBy(() -> workflow.skip(new OperatorAction("buildDocs", "mallory", null,
        mallory.sign(skipStatement)))).cause().hasMessageContaining("not the key of an approver");
    assertThat(workflow.skip(new OperatorAction("buildDocs", "someone", "docs host down", erin.sign(skipStatement))))
        .isEqualTo("skipping buildDocs");
    ReleaseStatus waiting = awaitStatus(workflow, s -> s.state() == ReleaseState.WAITING_FOR_APPROVAL);
    assertThat(waiting.operatorEvents()).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("skip");
      assertThat(e.operator()).as("the approver the signature proves").isEqualTo("erin");
    });
    workflow.approve(signed(erin, waiting.approval().statement()));
    ReleaseResult result = WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
    assertThat(result.stages()).filteredOn(s -> s.stage().equals("buildDocs")).singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(StageState.SKIPPED));
  }
}
