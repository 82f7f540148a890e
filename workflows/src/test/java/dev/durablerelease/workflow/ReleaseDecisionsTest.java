package dev.durablerelease.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.activity.PublishedRelease;
import dev.durablerelease.activity.SigningGrant;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.CommandSpec;
import dev.durablerelease.spec.DocsSpec;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.SbomSpec;
import dev.durablerelease.spec.SourceSpec;
import dev.durablerelease.spec.TargetRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The workflow's own decisions (block, retry, skip, abort, the approval gate) with fake activities on Temporal's
 * time-skipping test server: no git, no sandbox, seconds for the whole class. Full releases are in the worker module.
 */
class ReleaseDecisionsTest {
  private static final SigningGrant.ApprovalRule TWO_OF_THREE =
      new SigningGrant.ApprovalRule(2, List.of("erin", "frank", "grace"), "72h", "24h", false);

  private TestWorkflowEnvironment env;
  private FakeStages stages;

  @BeforeEach
  void setUp() {
    stages = new FakeStages();
    env = stages.environment(List.of(TaskQueues.SOURCE, TaskQueues.BUILD, TaskQueues.DOCS, TaskQueues.SIGN,
        TaskQueues.UPLOAD));
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  /** The sample's spec as the loader leaves it: tests, docs, a target. */
  private static ReleaseSpec spec(boolean testsSkippable, boolean docsSkippable) {
    return new ReleaseSpec("hello", "/srv/git/hello", "1.0.0", "v1.0.0", null,
        new SourceSpec("hello-1.0.0", List.of("tar.gz"), List.of(), true, SourceSpec.SUBMODULES_ERROR, "2GiB"),
        new CommandSpec("make test", "30m", Map.of(), testsSkippable, null),
        new DocsSpec("make docs", List.of("html"), List.of("tar.gz"), "30m", docsSkippable, Map.of(), null),
        new SbomSpec(List.of("spdx"), "The hello authors", "MIT"), List.of(new TargetRequest("downloads", null)),
        Map.of());
  }

  private ReleaseWorkflow start(ReleaseSpec spec) {
    ReleaseWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId("release-hello-1.0.0").build());
    WorkflowClient.start(workflow::run, ReleaseRequest.of(spec));
    return workflow;
  }

  private static ReleaseStatus await(ReleaseWorkflow workflow, Predicate<ReleaseStatus> condition)
      throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      ReleaseStatus status = workflow.status();
      if (condition.test(status)) {
        return status;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the release never got there; last: " + workflow.status());
  }

  private static ReleaseResult result(ReleaseWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
  }

  private static StageStatus stage(List<StageStatus> stages, String id) {
    return stages.stream().filter(s -> s.stage().equals(id)).findFirst().orElseThrow();
  }

  private static OperatorAction by(String operator) {
    return new OperatorAction(null, operator, null);
  }

  @Test
  void aBlockedStageRunsAgainOnRetryAndTheReleaseGoesOn() throws Exception {
    stages.failing("buildSource", 1);
    env.start();
    ReleaseWorkflow workflow = start(spec(false, false));
    ReleaseStatus blocked = await(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("buildSource");
      assertThat(b.reason()).isEqualTo("buildSource failed on purpose");
      assertThat(b.skippable()).isFalse();
    });
    assertThat(stages.count("testSource")).as("nothing after a blocked stage runs").isZero();

    assertThat(workflow.retry(by("alice"))).isEqualTo("retrying buildSource");
    ReleaseResult result = result(workflow);
    assertThat(stage(result.stages(), "buildSource").attempts()).isEqualTo(2);
    assertThat(result.operatorEvents()).extracting(e -> e.action() + " by " + e.operator())
        .containsExactly("retry by alice");
    assertThat(result.published()).containsExactly("file:///srv/downloads/");
  }

  @Test
  void aSkipIsAllowedOnlyForStagesTheSpecMarksSkippable() throws Exception {
    stages.failing("testSource", 1).failing("buildDocs", 1);
    env.start();
    ReleaseWorkflow workflow = start(spec(false, true));
    await(workflow, s -> s.blocked().size() == 2);

    assertThatThrownBy(() -> workflow.skip(new OperatorAction("testSource", "bob", null)))
        .isInstanceOf(WorkflowUpdateException.class).cause()
        .hasMessageContaining("skip of testSource is refused: the spec does not mark it skippable");
    // the two stages fail at once, and block in the order their failures reach the workflow
    assertThatThrownBy(() -> workflow.retry(by("bob"))).cause()
        .hasMessageMatching(".*several stages are blocked \\((testSource, buildDocs|buildDocs, testSource)\\); name one"
            + " with stage.*");
    assertThat(workflow.skip(new OperatorAction("buildDocs", "bob", "docs host down"))).isEqualTo("skipping buildDocs");
    workflow.retry(new OperatorAction("testSource", "bob", null));

    ReleaseResult result = result(workflow);
    assertThat(stage(result.stages(), "buildDocs").state()).isEqualTo(StageState.SKIPPED);
    assertThat(stage(result.stages(), "buildDocs").detail()).isEqualTo("skipped by bob (docs host down)");
    assertThat(result.artifacts()).extracting(a -> a.name()).doesNotContain("hello-1.0.0-docs-html.tar.gz");
  }

  @ParameterizedTest
  @ValueSource(strings = {"grantSigning", "checkout", "buildSource", "testSource", "buildDocs", "generateSbom",
      "provenance", "sign", "writeManifest", "upload"})
  void anAbortAtAnyBlockedStageEndsTheReleaseAndRunsNothingAfter(String activity) throws Exception {
    stages.failing(activity, 1);
    env.start();
    ReleaseWorkflow workflow = start(spec(false, false));
    await(workflow, s -> s.state() == ReleaseState.BLOCKED);
    int callsBefore = stages.calls.size();

    workflow.abort(new OperatorAction(null, "carol", "not today"));
    assertThatThrownBy(() -> result(workflow)).isInstanceOf(WorkflowFailedException.class).rootCause()
        .hasMessageContaining("release aborted by carol").hasMessageContaining("nothing was published");
    assertThat(workflow.status().state()).isEqualTo(ReleaseState.ABORTED);
    // only the clean-up of what an upload may have staged runs after an abort
    assertThat(stages.calls.subList(callsBefore, stages.calls.size()))
        .isEqualTo(activity.equals("upload") ? List.of("discardStaging") : List.of());
  }

  @Test
  void anAbortWhileWaitingForApprovalEndsTheRelease() throws Exception {
    stages.approvals(TWO_OF_THREE);
    env.start();
    ReleaseWorkflow workflow = start(spec(false, false));
    await(workflow, s -> s.state() == ReleaseState.WAITING_FOR_APPROVAL);
    workflow.abort(by("carol"));
    assertThatThrownBy(() -> result(workflow)).rootCause().hasMessageContaining("release aborted by carol at approval");
    assertThat(stages.count("provenance")).isZero();
  }

  @Test
  void theGateWaitsForDistinctApproversRemindsAndBlocksAtItsTimeout() throws Exception {
    stages.approvals(TWO_OF_THREE);
    env.start();
    ReleaseWorkflow workflow = start(spec(false, false));
    ReleaseStatus waiting = await(workflow, s -> s.state() == ReleaseState.WAITING_FOR_APPROVAL);
    assertThat(waiting.approval().approvals()).isEqualTo(2);
    assertThat(waiting.approval().statement()).contains("\"decision\" : \"approve\"")
        .contains("hello-1.0.0.tar.gz");

    assertThat(workflow.approve(signed("erin"))).isEqualTo("approved by erin (1 of 2)");
    assertThatThrownBy(() -> workflow.approve(signed("mallory"))).cause().hasMessageContaining("not the key of an"
        + " approver");
    assertThatThrownBy(() -> workflow.approve(new OperatorAction(null, "erin", null, "signed-by:erin")))
        .cause().hasMessageContaining("this signature was already sent");
    assertThat(workflow.status().approval().approvedBy()).containsExactly("erin");

    env.sleep(Duration.ofHours(73)); // two reminders, then the timeout
    ReleaseStatus blocked = await(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement()
        .satisfies(b -> assertThat(b.reason()).isEqualTo("no approval within 72h (1 of 2)"));
    long timers = env.getWorkflowClient().fetchHistory("release-hello-1.0.0").getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED).count();
    assertThat(timers).as("a timer per reminder period of 24h in 72h").isEqualTo(3);

    assertThat(workflow.approve(signed("grace"))).isEqualTo("approved by grace (2 of 2)");
    ReleaseResult result = result(workflow);
    assertThat(stage(result.stages(), "approval").detail()).isEqualTo("approved by erin, grace (signed)");
    assertThat(stages.count("sign")).isOne();
  }

  @Test
  void aReleaseItsTargetsAlreadyHoldIsNotApprovedSignedWrittenOrUploadedAgain() throws Exception {
    ArtifactRef releaseJson = new ArtifactRef("release.json", ArtifactKind.MANIFEST, "ab".repeat(32), 10);
    ArtifactRef sums = new ArtifactRef("SHA256SUMS", ArtifactKind.CHECKSUMS, "cd".repeat(32), 10);
    ArtifactRef archive = new ArtifactRef("hello-1.0.0.tar.gz", ArtifactKind.SOURCE_ARCHIVE, "ef".repeat(32), 10);
    stages.approvals(TWO_OF_THREE).published(new PublishedRelease(releaseJson, sums, List.of(archive), true));
    env.start();
    ReleaseResult result = result(start(spec(false, false)));

    assertThat(result.alreadyPublished()).isTrue();
    assertThat(result.manifest()).isEqualTo(releaseJson);
    assertThat(result.checksums()).isEqualTo(sums);
    assertThat(result.artifacts()).containsExactly(archive);
    assertThat(result.published()).containsExactly("file:///srv/downloads/");
    assertThat(stages.calls).contains("generateSbom", "findPublished")
        .doesNotContain("provenance", "sign", "writeManifest", "upload");
    for (String stage : List.of("approval", "provenance", "sign", "writeManifest", "upload")) {
      assertThat(stage(result.stages(), stage).state()).as(stage).isEqualTo(StageState.REUSED);
      assertThat(stage(result.stages(), stage).detail())
          .isEqualTo("already published: release.json sha256:abababababab on 1 target(s)");
    }
  }

  @Test
  void aReleasePublishedInPartMakesAgainOnlyWhatWasPublished() throws Exception {
    stages.published(PublishedRelease.PARTLY);
    env.start();
    ReleaseResult result = result(start(spec(false, false)));
    assertThat(result.alreadyPublished()).isFalse();
    assertThat(stages.signed.resume()).as("the bundles already published are reused").isTrue();
  }

  @Test
  void anAbortAProgramSendsForTheOperatorIsRecordedAsAutomatic() throws Exception {
    stages.failing("upload", 1);
    env.start();
    ReleaseWorkflow workflow = start(spec(false, false));
    ReleaseStatus blocked = await(workflow, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> assertThat(b.failureType()).isEqualTo("FakeFailure"));

    workflow.abort(OperatorAction.automatic(null, "carol", "no terminal to ask what to do"));
    assertThatThrownBy(() -> result(workflow)).rootCause().hasMessageContaining("release aborted automatically (for"
        + " carol) at upload (no terminal to ask what to do); nothing was published");
    ReleaseStatus ended = workflow.status();
    assertThat(stage(ended.stages(), "upload").detail())
        .isEqualTo("upload failed on purpose; aborted automatically (for carol)");
    assertThat(ended.operatorEvents()).singleElement().satisfies(e -> {
      assertThat(e.automatic()).isTrue();
      assertThat(e.by()).isEqualTo("automatically (for carol)");
    });
  }

  private static OperatorAction signed(String approver) {
    return new OperatorAction(null, approver, null, FakeStages.SIGNED_BY + approver);
  }

  @Test
  void anAbortSentBeforeTheFirstWorkflowTaskEndsTheReleaseWithNothingRun() throws Exception {
    // the release starts with no worker to take its first task: the abort waits in the same task as the start
    ReleaseWorkflow workflow = start(spec(false, false));
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    CompletableFuture<String> abort = CompletableFuture.supplyAsync(() -> stub.startUpdate(
        UpdateOptions.newBuilder(String.class).setUpdateName("abort").setWaitForStage(WorkflowUpdateStage.COMPLETED)
            .build(), by("carol")).getResult());
    Thread.sleep(500); // the update is with the server before any worker polls
    env.start();
    assertThat(abort.get()).isEqualTo("aborting at start");
    assertThatThrownBy(() -> stub.getResult(ReleaseResult.class)).rootCause()
        .hasMessageContaining("release aborted by carol at start");
    assertThat(stages.calls).isEmpty();
  }
}
