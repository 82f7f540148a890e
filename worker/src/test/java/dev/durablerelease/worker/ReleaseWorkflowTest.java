package dev.durablerelease.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.durablerelease.activities.SourceActivitiesImpl;
import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseWorkflow;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The workflow with real activities on their own task queues, on Temporal's in-memory test server. */
class ReleaseWorkflowTest extends SampleReleaseTestBase {
  private ReleaseSpec spec(String extra) throws Exception {
    String yaml = Files.readString(repo.dir().resolve("release.yaml")) + extra;
    return SpecLoader.load(yaml, "release.yaml", new SpecLoader.Overrides(repo.url(), null));
  }

  private ReleaseWorkflow workflow(String id) {
    return env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(id).build());
  }

  @Test
  void stagesRunInChecklistOrderAndTheReleaseIsPublished() throws Exception {
    Path target = tmp.resolve("published");
    usePolicy("""
        projects:
          hello: {repositories: ["**"], signing: {mode: dev}}
        targets:
          published: {url: "%s", projects: [hello]}
        """.formatted(target.toUri()));
    startWorkers();
    ReleaseSpec spec = spec("upload: [published]\n");

    ReleaseWorkflow workflow = workflow("release-hello-1.0.0");
    ReleaseResult result = workflow.run(ReleaseRequest.of(spec));

    List<StageStatus> stages = result.stages();
    assertThat(stages).extracting(StageStatus::stage).containsExactly(
        "checkPolicy", "checkout", "buildSource", "rebuildSource", "testSource", "buildDocs", "generateSbom",
        "approval", "provenance", "sign", "writeManifest", "upload");
    assertThat(stages).filteredOn(s -> !s.stage().equals("approval") && !s.stage().equals("rebuildSource"))
        .allSatisfy(s -> assertThat(s.state()).isEqualTo(StageState.SUCCEEDED));
    // the spec came with the release, so the policy is checked before anything is fetched
    assertThat(ended(stages, "checkPolicy")).isLessThanOrEqualTo(started(stages, "checkout"));
    assertThat(started(stages, "checkout")).isLessThanOrEqualTo(started(stages, "buildSource"));
    assertThat(ended(stages, "buildSource")).isLessThanOrEqualTo(started(stages, "testSource"));
    assertThat(ended(stages, "buildSource")).isLessThanOrEqualTo(started(stages, "buildDocs"));
    assertThat(Math.max(ended(stages, "testSource"), ended(stages, "buildDocs")))
        .isLessThanOrEqualTo(started(stages, "generateSbom"));
    assertThat(ended(stages, "generateSbom")).isLessThanOrEqualTo(started(stages, "provenance"));
    assertThat(ended(stages, "provenance")).isLessThanOrEqualTo(started(stages, "sign"));
    assertThat(ended(stages, "sign")).isLessThanOrEqualTo(started(stages, "writeManifest"));
    assertThat(ended(stages, "writeManifest")).isLessThanOrEqualTo(started(stages, "upload"));

    assertThat(result.commit()).isEqualTo(repo.head());
    assertThat(target.resolve("hello-1.0.0.tar.gz")).exists();
    assertThat(target.resolve("hello-1.0.0-docs-html.tar.gz")).exists();
    assertThat(target.resolve("release.json")).exists();
    assertThat(target.resolve("SHA256SUMS")).exists();
    assertThat(target.resolve("hello-1.0.0.tar.gz.sigstore")).exists();
    assertThat(target.resolve("provenance.intoto.json.sigstore")).exists();
    assertThat(target.resolve("trusted_root.json")).exists();
    assertThat(target.resolve("trust_config.json")).exists();
    assertThat(workflow.status().state()).isEqualTo(ReleaseState.SUCCEEDED);
  }

  @Test
  void transientActivityFailureIsRetriedAndTheReleaseSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // a fault we cannot cause otherwise: the first archive attempt dies the way an I/O error would
    SourceActivitiesImpl flaky = new SourceActivitiesImpl(context) {
      @Override
      public Archives buildSource(Checkout checkout) {
        if (calls.incrementAndGet() == 1) {
          throw ApplicationFailure.newFailure("disk hiccup", "java.io.IOException");
        }
        return super.buildSource(checkout);
      }
    };
    ReleaseWorkers.register(env.getWorkerFactory(), context,
        List.of(TaskQueues.WORKFLOWS, TaskQueues.BUILD, TaskQueues.DOCS, TaskQueues.SIGN, TaskQueues.UPLOAD));
    env.getWorkerFactory().newWorker(TaskQueues.SOURCE).registerActivitiesImplementations(flaky);
    env.start();

    ReleaseResult result = workflow("release-hello-retry").run(ReleaseRequest.of(spec("")));
    assertThat(calls).hasValue(2);
    assertThat(result.stages()).filteredOn(s -> s.stage().equals("buildSource")).singleElement()
        .satisfies(s -> {
          assertThat(s.state()).isEqualTo(StageState.SUCCEEDED);
          assertThat(s.attempts()).isEqualTo(2);
        });
    assertThat(result.stages()).filteredOn(s -> s.stage().equals("upload")).singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(StageState.NOT_CONFIGURED));
  }

  @Test
  void rawJsonInputAsTheTemporalCliSendsItRunsWithTheCommittedSpec() {
    startWorkers();
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(ReleaseWorkflow.TYPE,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId("release-hello-cli").build());
    stub.start(jsonPlain("{\"repository\": \"" + repo.url() + "\", \"version\": \"1.0.0\"}"));
    ReleaseResult result = stub.getResult(ReleaseResult.class);
    assertThat(result.project()).isEqualTo("hello");
    assertThat(result.tag()).isEqualTo("v1.0.0");
    assertThat(result.artifacts()).extracting(a -> a.name()).contains("hello-1.0.0.tar.gz");
  }

  @Test
  void unknownFieldInHandWrittenInputFailsAtOnceNamingTheField() {
    startWorkers();
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(ReleaseWorkflow.TYPE,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId("release-hello-typo").build());
    stub.start(jsonPlain("{\"repository\": \"" + repo.url() + "\", \"verison\": \"1.0.0\"}"));
    assertThatThrownBy(() -> stub.getResult(ReleaseResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> {
          assertThat(((ApplicationFailure) e).getType()).isEqualTo(Failures.INVALID_SPEC);
          assertThat(((ApplicationFailure) e).getOriginalMessage()).contains("unknown field(s) in the workflow input:"
              + " verison");
        });
  }

  /** A payload exactly as {@code temporal workflow start --input '…'} sends it. */
  static RawValue jsonPlain(String json) {
    return new RawValue(Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(json))
        .build());
  }

  private static long started(List<StageStatus> stages, String stage) {
    return stages.stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow().startedAt();
  }

  private static long ended(List<StageStatus> stages, String stage) {
    return stages.stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow().endedAt();
  }
}
