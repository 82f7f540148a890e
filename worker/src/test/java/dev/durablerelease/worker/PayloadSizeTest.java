package dev.durablerelease.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.testing.Approvers.Approver;
import dev.durablerelease.testing.Approvers;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Payloads stay small (digests and references, never file contents): no workflow input, activity input or result,
 * update argument, query answer or heartbeat detail of a full release exceeds 64 KB.
 */
class PayloadSizeTest extends SampleReleaseTestBase {
  private static final int LIMIT = 64 * 1024;

  private Approver erin;

  @BeforeEach
  void setUp() throws Exception {
    // a thousand extra files, so that archive-sized lists would show if they leaked into payloads
    for (int i = 0; i < 1000; i++) {
      repo.writeFile("data/file-" + i + ".txt", "line " + i + "\n");
    }
    repo.commitAll("many files");
    repo.tag("v1.0.1");
    erin = Approvers.create(tmp.resolve("keys"), "erin");
    usePolicy("""
        projects:
          hello:
            repositories: ["**"]
            signing: {mode: dev}
            approval: {approvals: 1, approvers: [erin]}
        approvers:
          erin: %s
        targets:
          published: {url: "%s", projects: [hello]}
        """.formatted(erin.publicKey(), tmp.resolve("published").toUri()));
    startWorkers();
  }

  @Test
  void noPayloadOfAFullReleaseExceeds64Kb() throws Exception {
    String yaml = Files.readString(SampleRepository.projectFolder().resolve("release.yaml"))
        + "upload: [published]\n"
        // a test command that writes long lines while it runs: its heartbeats carry the log tail
        + "test: {command: \"for i in $(seq 1 40); do head -c 20000 /dev/zero | tr '\\\\\\\\0' x; echo; sleep 0.2; done\"}\n";
    yaml = yaml.replaceFirst("test:\\n  command: make test\\n  timeout: 5m\\n", "");
    ReleaseWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId("release-hello-big").build());
    WorkflowClient.start(workflow::run, ReleaseRequest.of(SpecLoader.load(yaml, "release.yaml",
        new SpecLoader.Overrides(repo.url(), "1.0.1"))));

    List<Integer> heartbeats = new ArrayList<>();
    int largestStatus = 0;
    while (workflow.status().state() != ReleaseState.WAITING_FOR_APPROVAL) {
      largestStatus = Math.max(largestStatus, DefaultDataConverter.STANDARD_INSTANCE.toPayload(workflow.status())
          .orElseThrow().getSerializedSize());
      env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest
              .newBuilder().setNamespace(env.getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId("release-hello-big")).build())
          .getPendingActivitiesList().stream().filter(a -> a.hasHeartbeatDetails())
          .forEach(a -> heartbeats.add(a.getHeartbeatDetails().getSerializedSize()));
      Thread.sleep(200);
    }
    String statement = workflow.status().approval().statement();
    workflow.approve(new OperatorAction(null, "erin", null, erin.sign(statement)));
    WorkflowStub.fromTyped(workflow).getResult(Object.class);

    List<Integer> sizes = new ArrayList<>();
    for (HistoryEvent event : env.getWorkflowClient().fetchHistory("release-hello-big").getEvents()) {
      collectPayloadSizes(event, sizes);
    }
    assertThat(heartbeats).as("heartbeats seen while the test command ran").isNotEmpty();
    assertThat(heartbeats).allSatisfy(size -> assertThat(size).isLessThan(LIMIT));
    assertThat(sizes).hasSizeGreaterThan(20).allSatisfy(size -> assertThat(size).isLessThan(LIMIT));
    assertThat(largestStatus).isPositive().isLessThan(LIMIT);
  }

  /** Every Payload anywhere in a history event: inputs, results, update arguments, failures' details. */
  private static void collectPayloadSizes(Message message, List<Integer> sizes) {
    if (message instanceof Payload payload) {
      sizes.add(payload.getSerializedSize());
      return;
    }
    for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      Object value = field.getValue();
      if (value instanceof Message child) {
        collectPayloadSizes(child, sizes);
      } else if (value instanceof List<?> list) {
        for (Object item : list) {
          if (item instanceof Message child) {
            collectPayloadSizes(child, sizes);
          }
        }
      }
    }
  }
}
