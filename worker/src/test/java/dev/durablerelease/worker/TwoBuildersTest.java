package dev.durablerelease.worker;

import static dev.durablerelease.worker.Releases.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activities.SourceActivitiesImpl;
import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.archive.ArchiveEntry;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.archive.Archiver;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two builders must agree: a release whose policy asks for two builders is built on the source queue and again on the
 * second builder's queue, by a worker host of its own, and goes on only where every byte is the same. The second
 * builder here is real or writes other bytes, as a compromised builder would, through a test-only archive writer.
 */
class TwoBuildersTest extends SampleReleaseTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path published;

  @BeforeEach
  void policyWithTwoBuilders() throws Exception {
    published = tmp.resolve("published");
    context = Releases.localWorker(tmp, "first-builder");
    usePolicy("""
        projects:
          hello:
            repositories: ["**"]
            signing: {mode: dev}
            reproducibility: {builders: 2}
        targets:
          published: {url: "%s", projects: [hello]}
        """.formatted(published.toUri()));
  }

  /**
   * The first builder's host serves every queue but the second builder's; the second builder is a host of its own
   * (its own work folder and git cache, the same store) whose archives {@code archiver} writes.
   */
  private void startBuilders(Archiver archiver) throws Exception {
    List<String> firstHost = new ArrayList<>(ReleaseWorkers.ALL_QUEUES);
    firstHost.remove(TaskQueues.SOURCE_2);
    ReleaseWorkers.register(env.getWorkerFactory(), context, firstHost);
    WorkerContext second = new WorkerContext(context.store(), Files.createDirectories(tmp.resolve("second-host")),
        "second-builder", context.commands(), context.policy());
    env.getWorkerFactory().newWorker(TaskQueues.SOURCE_2)
        .registerActivitiesImplementations(new SourceActivitiesImpl(second, archiver));
    env.start();
  }

  private ReleaseSpec spec() throws Exception {
    return SpecLoader.load("""
        project: hello
        version: 1.0.0
        source: {formats: [tar.gz, zip]}
        test: {command: make test}
        upload: [published]
        """, "release.yaml", new SpecLoader.Overrides(repo.url(), null));
  }

  /** An archive writer that changes one entry before writing, as a compromised builder would. */
  private static Archiver changing(String path, UnaryOperator<ArchiveEntry> change) {
    return (entries, mtime, outputs) -> {
      List<ArchiveEntry> changed = new ArrayList<>();
      entries.forEach(e -> changed.add(e.path().equals(path) ? change.apply(e) : e));
      return ArchiveWriter.write(changed, mtime, outputs);
    };
  }

  private ReleaseWorkflow start(String id) throws Exception {
    return Releases.start(env.getWorkflowClient(), id, spec());
  }

  private static StageStatus stage(List<StageStatus> stages, String id) {
    return stages.stream().filter(s -> s.stage().equals(id)).findFirst().orElseThrow();
  }

  private JsonNode stored(ArtifactRef file) throws Exception {
    try (var in = context.store().open(file.sha256())) {
      return JSON.readTree(in);
    }
  }

  @Test
  void twoBuildersOnTwoQueuesAgreeBeforeTestsAndTheReleaseIsSignedNamingBoth() throws Exception {
    startBuilders(ArchiveWriter::write);
    ReleaseResult result = WorkflowStub.fromTyped(start("release-hello-two-builders")).getResult(ReleaseResult.class);

    StageStatus rebuild = stage(result.stages(), "rebuildSource");
    assertThat(rebuild.state()).isEqualTo(StageState.SUCCEEDED);
    assertThat(rebuild.worker()).isEqualTo("first-builder, second-builder");
    assertThat(rebuild.detail()).isEqualTo("6 file(s) byte-identical from both builders (first-builder on"
        + " release-source; second-builder on release-source-2)");
    assertThat(rebuild.endedAt()).isLessThanOrEqualTo(stage(result.stages(), "testSource").startedAt());
    assertThat(stage(result.stages(), "sign").state()).isEqualTo(StageState.SUCCEEDED);
    List<String> agreed = List.of("hello-1.0.0.tar.gz", "hello-1.0.0.zip", "hello-1.0.0.tar.gz.spdx.json",
        "hello-1.0.0.tar.gz.cdx.json", "hello-1.0.0.zip.spdx.json", "hello-1.0.0.zip.cdx.json");
    // every agreed file is a release file once, signed and published
    assertThat(result.artifacts()).extracting(ArtifactRef::name).doesNotHaveDuplicates().containsAll(agreed);
    for (String name : agreed) {
      assertThat(published.resolve(name)).exists();
      assertThat(published.resolve(name + ".sigstore")).exists();
    }

    JsonNode manifest = JSON.readTree(published.resolve("release.json").toFile());
    JsonNode reproducibility = manifest.get("reproducibility");
    assertThat(reproducibility.get("agreed").asBoolean()).isTrue();
    assertThat(reproducibility.get("builders").toString()).isEqualTo("[{\"queue\":\"release-source\",\"workers\":"
        + "[\"first-builder\"]},{\"queue\":\"release-source-2\",\"workers\":[\"second-builder\"]}]");
    assertThat(reproducibility.get("files")).extracting(JsonNode::asText).containsExactlyElementsOf(agreed);

    JsonNode provenance = JSON.readTree(published.resolve("provenance.intoto.json").toFile()).get("predicate");
    JsonNode byproduct = null;
    for (JsonNode b : provenance.path("runDetails").path("byproducts")) {
      byproduct = b.path("name").asText().equals("reproducibility") ? b : byproduct;
    }
    assertThat(byproduct).as("the provenance names the builders").isNotNull();
    assertThat(byproduct.path("annotations").path("builders")).isEqualTo(reproducibility.get("builders"));
    // what decides the bytes, for a rebuild years later
    assertThat(provenance.path("runDetails").path("builder").path("version").fieldNames())
        .toIterable().containsExactlyInAnyOrder("durable-release", "commons-compress", "xz-java", "zlib");
    assertThat(provenance.path("buildDefinition").path("internalParameters").path("archives").path("xz.preset")
        .asText()).isEqualTo("6");
  }

  @Test
  void aSecondBuilderThatWritesAnotherModeBlocksTheReleaseBeforeTestsNamingTheFileAndTheEntry() throws Exception {
    startBuilders(changing("hello-1.0.0/Makefile",
        e -> new ArchiveEntry(e.path(), ArchiveEntry.Type.EXECUTABLE, e.size(), null, e.content())));
    ReleaseWorkflow workflow = start("release-hello-other-mode");
    ReleaseStatus blocked = awaitBlockedOrEnded(workflow);

    assertThat(blocked.blocked()).singleElement().satisfies(b -> {
      assertThat(b.stage()).isEqualTo("rebuildSource");
      assertThat(b.skippable()).isFalse();
      assertThat(b.reason())
          .startsWith("the builders disagree on hello-1.0.0.tar.gz, hello-1.0.0.zip, hello-1.0.0.tar.gz.spdx.json,"
              + " hello-1.0.0.tar.gz.cdx.json, hello-1.0.0.zip.spdx.json, hello-1.0.0.zip.cdx.json (first builder"
              + " first-builder on release-source, second builder second-builder on release-source-2); nothing is"
              + " tested, signed or published.")
          .contains("\n  hello-1.0.0.tar.gz: hello-1.0.0/Makefile: mode 0644 (first builder) vs 0755 (second"
              + " builder)\n")
          .contains("\n  hello-1.0.0.zip: hello-1.0.0/Makefile: mode 0644 (first builder) vs 0755 (second"
              + " builder)\n")
          // an SBOM names its archive by digest, so it differs too
          .contains("\n  hello-1.0.0.tar.gz.spdx.json: /documentNamespace: \"urn:uuid:");
    });
    assertNothingTestedSignedOrPublished(workflow, blocked);
  }

  @Test
  void aSecondBuilderThatWritesOtherContentBlocksTheReleaseNamingTheFileInTheArchivesAndSboms() throws Exception {
    byte[] content = "int main(void) { return 42; }\n".getBytes(StandardCharsets.UTF_8);
    startBuilders(changing("hello-1.0.0/src/hello.c", e -> new ArchiveEntry(e.path(), e.type(), content.length, null,
        () -> new ByteArrayInputStream(content))));
    ReleaseWorkflow workflow = start("release-hello-other-content");
    ReleaseStatus blocked = awaitBlockedOrEnded(workflow);

    assertThat(blocked.blocked()).singleElement().satisfies(b -> assertThat(b.reason())
        .containsPattern("\n  hello-1.0.0.tar.gz: hello-1.0.0/src/hello.c: content [0-9]+ bytes, sha256 [0-9a-f]{12}"
            + " \\(first builder\\) vs 30 bytes, sha256 [0-9a-f]{12} \\(second builder\\)\n")
        .containsPattern("\n  hello-1.0.0.zip: hello-1.0.0/src/hello.c: content [^;\n]+\n")
        .containsPattern("\n  hello-1.0.0.tar.gz.spdx.json: /[^\n]+ \\(first builder\\) vs [^\n]+ \\(second builder\\)")
        .contains("\n  hello-1.0.0.zip.cdx.json: "));
    assertNothingTestedSignedOrPublished(workflow, blocked);
  }

  private static ReleaseStatus awaitBlockedOrEnded(ReleaseWorkflow workflow) throws InterruptedException {
    ReleaseStatus status = awaitStatus(workflow, s -> s.state() == ReleaseState.BLOCKED || s.state().isFinal());
    assertThat(status.state()).as("the release blocks").isEqualTo(ReleaseState.BLOCKED);
    return status;
  }

  /** Tests, signing and upload never started; it cannot be skipped; aborted, nothing was published. */
  private void assertNothingTestedSignedOrPublished(ReleaseWorkflow workflow, ReleaseStatus blocked) {
    assertThat(stage(blocked.stages(), "testSource").attempts()).isZero();
    assertThat(stage(blocked.stages(), "sign").attempts()).isZero();
    assertThat(stage(blocked.stages(), "upload").attempts()).isZero();
    assertThatThrownBy(() -> workflow.skip(new OperatorAction("rebuildSource", "mallory", "ship it anyway")))
        .isInstanceOf(WorkflowUpdateException.class);
    workflow.abort(new OperatorAction(null, "carol", "a builder is compromised"));
    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class))
        .hasStackTraceContaining("nothing was published");
    assertThat(published).doesNotExist();
  }
}
