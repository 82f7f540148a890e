package dev.durablerelease.worker;

import static dev.durablerelease.worker.Releases.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.store.Digests;
import dev.durablerelease.testing.Approvers.Approver;
import dev.durablerelease.testing.Approvers;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseSearchAttributes;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blocked releases and the operator's retry, skip, abort and approve, on Temporal's test server. */
class OperatingReleasesTest extends SampleReleaseTestBase {
  private Path target;
  private Approver erin;
  private Approver frank;

  @BeforeEach
  void setUp() throws Exception {
    target = tmp.resolve("published");
    erin = Approvers.create(tmp.resolve("keys"), "erin");
    frank = Approvers.create(tmp.resolve("keys"), "frank");
    policy("");
  }

  /** The workers' policy: hello signed in dev mode, published to the folder, with these extra project sections. */
  private void policy(String projectSections) {
    usePolicy("""
        projects:
          hello:
            repositories: ["**"]
            signing: {mode: dev}
        %s
        targets:
          published: {url: "%s", projects: [hello]}
        approvers:
          erin: %s
          frank: %s
        """.formatted(projectSections.indent(4).stripTrailing(), target.toUri(), erin.publicKey(),
        frank.publicKey()));
  }

  private ReleaseSpec spec(String yaml) throws Exception {
    return SpecLoader.load(yaml + "upload: [published]\n", "release.yaml",
        new SpecLoader.Overrides(repo.url(), null));
  }

  /** What {@code release approve --key} does: signs the statement the release shows, and sends it. */
  private static String approve(ReleaseWorkflow workflow, Approver approver, String note) {
    String statement = workflow.status().approval().statement();
    return workflow.approve(new OperatorAction(null, approver.name(), note, approver.sign(statement)));
  }

  private ReleaseWorkflow start(String id, ReleaseSpec spec) {
    return Releases.start(env.getWorkflowClient(), id, spec);
  }

  private static StageStatus stage(ReleaseResult result, String id) {
    return result.stages().stream().filter(s -> s.stage().equals(id)).findFirst().orElseThrow();
  }

  private static ReleaseResult result(ReleaseWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
  }

  @Test
  void blockedReleaseResumesAfterTheOperatorFixesTheCauseAndRetries() throws Exception {
    startWorkers();
    ReleaseWorkflow workflow = start("release-hello-1.0.1", spec("project: hello\nversion: 1.0.1\n"));

    ReleaseStatus blocked = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.currentStage()).isEqualTo("checkout");
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.reason()).contains("tag v1.0.1 does not exist");
      assertThat(b.skippable()).isFalse();
    });
    assertThat(blocked.detail()).contains("blocked at checkout").contains("retry, skip or abort");
    assertThat(env.getWorkflowClient().newUntypedWorkflowStub("release-hello-1.0.1").describe()
        .getTypedSearchAttributes().get(ReleaseSearchAttributes.STATUS)).isEqualTo("Blocked");

    repo.tag("v1.0.1"); // the operator pushes the missing tag
    assertThat(workflow.retry(new OperatorAction(null, "alice", "pushed the tag"))).isEqualTo("retrying checkout");

    ReleaseResult result = result(workflow);
    assertThat(stage(result, "checkout").state()).isEqualTo(StageState.SUCCEEDED);
    assertThat(stage(result, "checkout").attempts()).isEqualTo(2);
    assertThat(result.operatorEvents()).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("retry");
      assertThat(e.operator()).isEqualTo("alice");
    });
    assertThat(target.resolve("hello-1.0.1.tar.gz")).exists();
    assertThat(env.getWorkflowClient().newUntypedWorkflowStub("release-hello-1.0.1").describe()
        .getTypedSearchAttributes().get(ReleaseSearchAttributes.STATUS)).isEqualTo("Succeeded");
  }

  @Test
  void aResumedReleaseFindsWhatItsLostRunPublishedAndCompletesThePublication() throws Exception {
    // the run is lost once it has published (say the embedded server died while the last files were moved into
    // place): resuming must not meet its own files as conflicts, so the statement, bundles and manifest are reused
    startWorkers();
    ReleaseSpec spec = spec("project: hello\nversion: 1.0.0\n");
    ReleaseResult first = result(start("release-hello-first-run", spec));
    Files.delete(target.resolve(first.manifest().name())); // the one file the lost run had not moved yet

    ReleaseResult resumed = result(Releases.start(env.getWorkflowClient(), "release-hello-resumed",
        ReleaseRequest.of(spec).resuming()));
    assertThat(resumed.artifacts()).isEqualTo(first.artifacts());
    assertThat(resumed.manifest()).isEqualTo(first.manifest());
    for (String reused : List.of("buildSource", "provenance", "sign", "writeManifest")) {
      assertThat(stage(resumed, reused).state()).as(reused).isEqualTo(StageState.REUSED);
    }
    assertThat(stage(resumed, "upload").detail()).startsWith("1 file(s) written to 1 target(s)");
    assertThat(Digests.sha256Hex(target.resolve(first.manifest().name()))).isEqualTo(first.manifest().sha256());
  }

  @Test
  void skippableDocsAreSkippedAndTheSkipIsRecorded() throws Exception {
    startWorkers();
    ReleaseWorkflow workflow = start("release-hello-skip", spec("""
        project: hello
        version: 1.0.0
        docs: {command: "exit 4", outputs: [docs/_build/html], skippable: true}
        """));
    awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(workflow.skip(new OperatorAction("buildDocs", "bob", "docs host is down"))).isEqualTo(
        "skipping buildDocs");

    ReleaseResult result = result(workflow);
    assertThat(stage(result, "buildDocs").state()).isEqualTo(StageState.SKIPPED);
    assertThat(stage(result, "buildDocs").detail()).isEqualTo("skipped by bob (docs host is down)");
    assertThat(result.artifacts()).extracting(ArtifactRef::name).doesNotContain("hello-1.0.0-docs-html.tar.gz");
    String manifest = Files.readString(target.resolve("release.json"));
    assertThat(manifest).contains("\"action\" : \"skip\"").contains("\"operator\" : \"bob\"");
  }

  @Test
  void skipIsRefusedForAStageTheSpecDoesNotMarkSkippable() throws Exception {
    startWorkers();
    ReleaseWorkflow workflow = start("release-hello-noskip", spec("""
        project: hello
        version: 1.0.0
        test: {command: "exit 1"}
        """));
    awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThatThrownBy(() -> workflow.skip(new OperatorAction("testSource", "bob", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .cause().hasMessageContaining("skip of testSource is refused: the spec does not mark it skippable");
    assertThatThrownBy(() -> workflow.skip(new OperatorAction("checkout", "bob", null)))
        .isInstanceOf(WorkflowUpdateException.class).cause().hasMessageContaining("checkout is not blocked");
    assertThatThrownBy(() -> workflow.retry(new OperatorAction(null, "", null)))
        .isInstanceOf(WorkflowUpdateException.class).cause().hasMessageContaining("needs the operator's name");
    workflow.abort(new OperatorAction(null, "bob", "tests are broken"));
  }

  @Test
  void abortEndsTheReleaseAndPublishesNothing() throws Exception {
    startWorkers();
    ReleaseWorkflow workflow = start("release-hello-abort", spec("""
        project: hello
        version: 1.0.0
        test: {command: "echo 'FAIL: widget'; exit 1"}
        """));
    ReleaseStatus blocked = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked().get(0).reason()).contains("exited with status 1").contains("FAIL: widget");
    workflow.abort(new OperatorAction(null, "carol", "broken build"));

    assertThatThrownBy(() -> result(workflow))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> {
          assertThat(((ApplicationFailure) e).getType()).isEqualTo("ReleaseAborted");
          assertThat(((ApplicationFailure) e).getOriginalMessage())
              .isEqualTo("release aborted by carol at testSource (broken build); nothing was published");
        });
    ReleaseStatus aborted = workflow.status();
    assertThat(aborted.state()).isEqualTo(ReleaseState.ABORTED);
    assertThat(aborted.stages()).filteredOn(s -> s.stage().equals("testSource")).singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(StageState.FAILED));
    assertThat(target).doesNotExist();
    // the release has ended: the server takes no more updates for it
    assertThatThrownBy(() -> workflow.retry(new OperatorAction(null, "carol", null)))
        .isInstanceOf(io.temporal.client.WorkflowNotFoundException.class);
  }

  @Test
  void updatesSentAsTheTemporalCliSendsThemAreUnderstoodAndTyposRefused() throws Exception {
    startWorkers();
    ReleaseWorkflow workflow = start("release-hello-cli-update", spec("""
        project: hello
        version: 1.0.0
        docs: {command: "exit 4", outputs: [docs/_build/html], skippable: true}
        """));
    awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub("release-hello-cli-update");
    assertThatThrownBy(() -> stub.update("skip", String.class,
        jsonPlain("{\"stage\": \"buildDocs\", \"operater\": \"dave\"}")))
        .isInstanceOf(WorkflowUpdateException.class).cause().hasMessageContaining("unknown field(s) operater");
    assertThat(stub.update("skip", String.class, jsonPlain("{\"stage\": \"buildDocs\", \"operator\": \"dave\"}")))
        .isEqualTo("skipping buildDocs");
    assertThat(result(workflow).operatorEvents()).extracting(e -> e.operator()).containsExactly("dave");
  }

  @Test
  void approvalThatTimesOutBlocksAtTheGateAndCanBeGivenLater() throws Exception {
    policy("approval: {approvals: 1, timeout: 72h, reminder: 24h, approvers: [erin]}");
    startWorkers();
    ReleaseWorkflow workflow = start("release-hello-approval", spec("project: hello\nversion: 1.0.0\n"));
    ReleaseStatus waiting = awaitStatus(workflow, s -> s.state() == ReleaseState.WAITING_FOR_APPROVAL);
    assertThat(waiting.detail()).contains("waiting for approval");
    assertThat(waiting.approval().approvers()).containsExactly("erin");
    assertThatThrownBy(() -> approve(workflow, frank, null))
        .isInstanceOf(WorkflowUpdateException.class).cause()
        .hasMessageContaining("not the key of an approver the operator's policy allows for this release (erin)");

    env.sleep(Duration.ofHours(73)); // the test server skips time: three reminders, then the timeout
    ReleaseStatus timedOut = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(timedOut.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("approval");
      assertThat(b.reason()).isEqualTo("no approval within 72h (0 of 1)");
    });
    assertThat(target).doesNotExist();

    approve(workflow, erin, "checked the artifacts");
    ReleaseResult result = result(workflow);
    assertThat(stage(result, "approval").detail()).isEqualTo("approved by erin (signed)");
    assertThat(result.operatorEvents()).singleElement().satisfies(e -> assertThat(e.note())
        .isEqualTo("checked the artifacts"));
    assertThat(result.operatorEvents()).extracting(e -> e.action()).containsExactly("approve");
    assertThat(target.resolve("release.json")).exists();
  }

  @Test
  void approvalArrivesAfterTheWorkerRestarted() throws Exception {
    policy("approval: {approvals: 1, approvers: [frank]}");
    // a real server in real time: the release must outlive the worker that started waiting
    try (LoopbackTemporal temporal = LoopbackTemporal.start()) {
      ReleaseWorkers first = temporal.serve(context, ReleaseWorkers.ALL_QUEUES);
      ReleaseWorkflow workflow = Releases.start(temporal.client(), "release-hello-restart",
          spec("project: hello\nversion: 1.0.0\n"));
      awaitStatus(workflow, s -> s.state() == ReleaseState.WAITING_FOR_APPROVAL);
      first.close(); // the worker goes away; the release waits on the server

      temporal.serve(context, ReleaseWorkers.ALL_QUEUES);
      approve(workflow, frank, null);
      assertThat(result(workflow).published()).containsExactly(target.toUri().toString());
    }
  }

  static RawValue jsonPlain(String json) {
    return new RawValue(Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(json))
        .build());
  }

}
