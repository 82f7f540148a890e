package dev.durablerelease.worker;

import static dev.durablerelease.worker.Releases.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.testing.Approvers.Approver;
import dev.durablerelease.testing.Approvers;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseStatus;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Versions with meaning, through the workflow: stages gated by the release level, and an order that refuses going
 * back.
 */
class VersionedReleasesTest extends SampleReleaseTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path published;
  private Path stable;
  private Approver erin;

  @BeforeEach
  void setUp() throws Exception {
    published = tmp.resolve("published");
    stable = tmp.resolve("stable");
    erin = Approvers.create(tmp.resolve("keys"), "erin");
  }

  private void policy(String projectSections) {
    usePolicy("""
        projects:
          hello:
            repositories: ["**"]
            signing: {mode: dev}
        %s
        targets:
          published: {url: "%s", projects: [hello]}
          stable: {url: "%s", projects: [hello], releases: [final]}
        approvers:
          erin: %s
        """.formatted(projectSections.indent(4).stripTrailing(), published.toUri(), stable.toUri(),
        erin.publicKey()));
  }

  private ReleaseSpec spec(String yaml, String version) throws Exception {
    repo.tag("v" + version);
    return SpecLoader.load(yaml, "release.yaml", new SpecLoader.Overrides(repo.url(), version));
  }

  private ReleaseResult release(String id, ReleaseSpec spec) {
    return WorkflowStub.fromTyped(Releases.start(env.getWorkflowClient(), id, spec)).getResult(ReleaseResult.class);
  }

  private static StageStatus stage(List<StageStatus> stages, String id) {
    return stages.stream().filter(s -> s.stage().equals(id)).findFirst().orElseThrow();
  }

  private static JsonNode json(Path file) throws Exception {
    return JSON.readTree(file.toFile());
  }

  @Test
  void aReleaseCandidateBuildsDocsUnderTheCpythonPresetAndAnAlphaDoesNot() throws Exception {
    policy("");
    startWorkers();
    String yaml = Files.readString(repo.dir().resolve("release.yaml"))
        + "preset: cpython\nupload: [{target: published, path: \"{normalizedVersion}/\"}]\n";

    ReleaseResult alpha = release("release-hello-3.14.0a1", spec(yaml, "3.14.0a1"));
    StageStatus docs = stage(alpha.stages(), "buildDocs");
    assertThat(docs.state()).isEqualTo(StageState.SKIPPED);
    assertThat(docs.detail()).isEqualTo("skipped (pre-release): buildDocs runs for rc, final only; 3.14.0a1 (alpha)");
    assertThat(stage(alpha.stages(), "testSource").state()).isEqualTo(StageState.SUCCEEDED);
    assertThat(alpha.artifacts()).noneMatch(a -> a.kind() == ArtifactKind.DOCS_ARCHIVE);
    Path folder = published.resolve("3.14.0a1");
    JsonNode manifest = json(folder.resolve("release.json"));
    assertThat(manifest.get("prerelease").asBoolean()).isTrue();
    assertThat(manifest.get("releaseLevel").asText()).isEqualTo("alpha");
    assertThat(manifest.get("normalizedVersion").asText()).isEqualTo("3.14.0a1");
    assertThat(manifest.findValues("stage").stream().map(JsonNode::asText)).contains("buildDocs");
    JsonNode docsEntry = findStage(manifest.get("stages"), "buildDocs");
    assertThat(docsEntry.get("state").asText()).isEqualTo("skipped");
    assertThat(docsEntry.get("detail").asText()).startsWith("skipped (pre-release)");
    JsonNode provenance = json(folder.resolve("provenance.intoto.json"));
    assertThat(provenance.at("/predicate/buildDefinition/externalParameters/prerelease").asBoolean()).isTrue();
    assertThat(provenance.at("/predicate/runDetails/byproducts").findValues("reason").stream()
        .map(JsonNode::asText)).anyMatch(r -> r.startsWith("skipped (pre-release): buildDocs runs for rc, final"));
    assertThat(json(folder.resolve("hello-3.14.0a1.tar.gz.spdx.json")).at("/packages/0/comment").asText())
        .isEqualTo("pre-release (alpha) 3.14.0a1 of hello");
    assertThat(Files.readString(folder.resolve("hello-3.14.0a1.tar.gz.cdx.json")))
        .contains("durable-release:prerelease");

    ReleaseResult candidate = release("release-hello-3.14.0rc1", spec(yaml, "3.14.0rc1"));
    assertThat(stage(candidate.stages(), "buildDocs").state()).isEqualTo(StageState.SUCCEEDED);
    assertThat(candidate.artifacts()).anyMatch(a -> a.kind() == ArtifactKind.DOCS_ARCHIVE);
    assertThat(json(published.resolve("3.14.0rc1/release.json")).get("releaseLevel").asText()).isEqualTo("rc");
  }

  @Test
  void aBackwardsVersionIsRefusedBeforeCheckoutAndAMaintenanceLineMayStillPublish() throws Exception {
    policy("");
    startWorkers();
    String yaml = "project: hello\nversionScheme: pep440\nupload: [{target: published, path: \"{version}/\"}]\n";
    release("release-hello-3.13.0", spec(yaml, "3.13.0"));

    ReleaseWorkflow backwards = Releases.start(env.getWorkflowClient(), "release-hello-3.12.9",
        spec(yaml, "3.12.9"));
    ReleaseStatus blocked = awaitStatus(backwards, s -> s.state() == ReleaseState.BLOCKED);
    assertThat(blocked.currentStage()).isEqualTo("checkPolicy");
    assertThat(blocked.blocked()).singleElement().satisfies(b -> assertThat(b.reason())
        .contains("hello 3.12.9 is not greater than 3.13.0, the greatest final already published to published")
        .contains("maintenanceLines: [\"3.12.*\"]"));
    assertThat(stage(blocked.stages(), "checkout").state()).isEqualTo(StageState.PENDING);
    backwards.abort(new OperatorAction(null, "alice", "going back was a mistake"));
    assertAborted(backwards);
    assertThat(published.resolve("3.12.9")).doesNotExist();

    ReleaseResult maintenance = release("release-hello-3.12.9-line",
        spec(yaml + "maintenanceLines: [\"3.12.*\"]\n", "3.12.9"));
    assertThat(maintenance.published()).hasSize(1);
    assertThat(published.resolve("3.12.9/release.json")).exists();

    // within its line the order holds: 3.12.8 after 3.12.9 is refused
    ReleaseWorkflow older = Releases.start(env.getWorkflowClient(), "release-hello-3.12.8",
        spec(yaml + "maintenanceLines: [\"3.12.*\"]\n", "3.12.8"));
    assertThat(awaitStatus(older, s -> s.state() == ReleaseState.BLOCKED).blocked()).singleElement()
        .satisfies(b -> assertThat(b.reason()).contains("3.12.8 is not greater than 3.12.9, the greatest final of"
            + " the maintenance line 3.12.* already published"));
    older.abort(new OperatorAction(null, "alice", null));
    assertAborted(older);

    // a final the target holds that this store never recorded (another engine's, say) is found in its listing
    Files.createDirectories(published.resolve("3.14.0"));
    Files.writeString(published.resolve("3.14.0/release.json"), "{}");
    Files.createDirectories(published.resolve("3.15.0")); // no release.json: not a whole release
    ReleaseWorkflow behindListing = Releases.start(env.getWorkflowClient(), "release-hello-3.13.1",
        spec(yaml, "3.13.1"));
    assertThat(awaitStatus(behindListing, s -> s.state() == ReleaseState.BLOCKED).blocked()).singleElement()
        .satisfies(b -> assertThat(b.reason()).contains("3.13.1 is not greater than 3.14.0"));
    behindListing.abort(new OperatorAction(null, "alice", null));
    assertAborted(behindListing);
  }

  @Test
  void theOperatorsApprovalAndFinalsOnlyTargetReadTheVersionUnderThePinnedScheme() throws Exception {
    policy("""
        versions: {scheme: pep440}
        approval: {approvals: 1, approvers: [erin], when: [final]}
        """);
    startWorkers();
    String yaml = "project: hello\nversionScheme: pep440\n"
        + "upload: [{target: published, path: \"{version}/\"}, {target: stable, path: \"{version}/\"}]\n";

    ReleaseResult candidate = release("release-hello-2.0.0rc1", spec(yaml, "2.0.0rc1"));
    StageStatus approval = stage(candidate.stages(), "approval");
    assertThat(approval.state()).isEqualTo(StageState.SKIPPED);
    assertThat(approval.detail()).isEqualTo("skipped (pre-release): approval is for final only; 2.0.0rc1 is rc"
        + " (a pre-release)");
    assertThat(stage(candidate.stages(), "checkPolicy").detail())
        .contains("stable skipped (takes final only; 2.0.0rc1 is rc (a pre-release))");
    assertThat(published.resolve("2.0.0rc1/release.json")).exists();
    assertThat(stable).doesNotExist();

    // the final waits for erin, and goes to both targets
    ReleaseWorkflow workflow = Releases.start(env.getWorkflowClient(), "release-hello-2.0.0", spec(yaml, "2.0.0"));
    String statement = awaitStatus(workflow, s -> s.state() == ReleaseState.WAITING_FOR_APPROVAL).approval()
        .statement();
    workflow.approve(new OperatorAction(null, "erin", null, erin.sign(statement)));
    WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
    assertThat(stable.resolve("2.0.0/release.json")).exists();

    // a tag that reads its final as a pre-release under another scheme (semver's 2.0.1-1 is pip's 2.0.1.post1)
    ReleaseWorkflow evading = Releases.start(env.getWorkflowClient(), "release-hello-2.0.1-1",
        spec("project: hello\nversionScheme: semver\nupload: [{target: published, path: \"{version}/\"}]\n",
            "2.0.1-1"));
    assertThat(awaitStatus(evading, s -> s.state() == ReleaseState.BLOCKED).blocked()).singleElement()
        .satisfies(b -> assertThat(b.reason()).contains("reads versions of hello as pep440")
            .contains("release.yaml says versionScheme: semver"));
    assertThat(stage(evading.status().stages(), "checkout").state()).isEqualTo(StageState.PENDING);
    evading.abort(new OperatorAction(null, "alice", null));
    assertAborted(evading);
  }

  private static void assertAborted(ReleaseWorkflow workflow) {
    try {
      WorkflowStub.fromTyped(workflow).getResult(ReleaseResult.class);
      throw new AssertionError("the release was not aborted");
    } catch (WorkflowFailedException e) {
      assertThat(workflow.status().state()).isEqualTo(ReleaseState.ABORTED);
    }
  }

  private static JsonNode findStage(JsonNode stages, String id) {
    for (JsonNode s : stages) {
      if (s.get("stage").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no stage " + id);
  }
}
