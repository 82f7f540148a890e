package dev.durablerelease.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.SbomSpec;
import dev.durablerelease.spec.SourceSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The workflow's side of two builders, with fake activities: it runs the second build only when the policy asks,
 * compares the digests itself, blocks on a difference without testing anything, and builds again on retry.
 */
class TwoBuildersDecisionsTest {
  private TestWorkflowEnvironment env;
  private FakeStages stages;

  @BeforeEach
  void setUp() {
    stages = new FakeStages();
    env = stages.environment(List.of(TaskQueues.SOURCE, TaskQueues.SOURCE_2, TaskQueues.BUILD, TaskQueues.SIGN));
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ReleaseWorkflow start() {
    ReleaseSpec spec = new ReleaseSpec("hello", "/srv/git/hello", "1.0.0", "v1.0.0", null,
        new SourceSpec("hello-1.0.0", List.of("tar.gz"), List.of(), true, SourceSpec.SUBMODULES_ERROR, "2GiB"),
        new dev.durablerelease.spec.CommandSpec("make test", "30m", Map.of(), false, null), null,
        new SbomSpec(List.of("spdx"), "The hello authors", "MIT"), List.of(), Map.of());
    ReleaseWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId("release-hello-1.0.0").build());
    WorkflowClient.start(workflow::run, ReleaseRequest.of(spec));
    return workflow;
  }

  private static ReleaseStatus awaitBlocked(ReleaseWorkflow workflow) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      ReleaseStatus status = workflow.status();
      if (status.state() == ReleaseState.BLOCKED || status.state().isFinal()) {
        return status;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the release never blocked; last: " + workflow.status());
  }

  private static StageStatus stage(List<StageStatus> stages, String id) {
    return stages.stream().filter(s -> s.stage().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void withOneBuilderNothingIsBuiltTwice() {
    env.start();
    ReleaseResult result = WorkflowStub.fromTyped(start()).getResult(ReleaseResult.class);
    assertThat(stages.count("rebuildSource")).isZero();
    assertThat(stage(result.stages(), "rebuildSource").state()).isEqualTo(StageState.NOT_CONFIGURED);
    assertThat(stages.count("generateSbom")).isEqualTo(1);
  }

  @Test
  void buildersThatDisagreeBlockBeforeTestsAndARetryBuildsAgainUntilTheyAgree() throws Exception {
    stages.builders(2).rebuildsDiffering(1);
    env.start();
    ReleaseWorkflow workflow = start();
    ReleaseStatus blocked = awaitBlocked(workflow);
    assertThat(blocked.state()).isEqualTo(ReleaseState.BLOCKED);
    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("rebuildSource");
      assertThat(b.reason()).isEqualTo("the builders disagree on hello-1.0.0.tar.gz (first builder fake-worker on"
          + " release-source, second builder fake-worker on release-source-2); nothing is tested, signed or published."
          + " First differing entries:\n  hello-1.0.0.tar.gz: top/Makefile: mode 0644 (first builder) vs 0755 (second"
          + " builder)\nretry builds them again; abort ends the release");
    });
    assertThat(stages.count("testSource")).as("nothing is tested before the builders agree").isZero();
    assertThatThrownBy(() -> workflow.skip(new OperatorAction("rebuildSource", "mallory", null)))
        .isInstanceOf(WorkflowUpdateException.class);

    workflow.retry(new OperatorAction(null, "alice", "second builder fixed"));
    ReleaseResult result = WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
    assertThat(stages.count("rebuildSource")).isEqualTo(2);
    assertThat(stage(result.stages(), "rebuildSource").state()).isEqualTo(StageState.SUCCEEDED);
    assertThat(stage(result.stages(), "rebuildSource").attempts()).isEqualTo(2);
    // the agreed SBOMs are the release's, once: generateSbom described nothing more (no docs archive)
    assertThat(result.artifacts()).extracting(ArtifactRef::name).doesNotHaveDuplicates()
        .contains("hello-1.0.0.tar.gz.spdx.json");
  }
}
