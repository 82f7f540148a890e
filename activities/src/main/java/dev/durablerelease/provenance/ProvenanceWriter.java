package dev.durablerelease.provenance;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.ProvenanceInput;
import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.archive.ArchiveSettings;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.VersionFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Writes {@code provenance.intoto.json}: an in-toto Statement v1 whose predicate is SLSA Provenance v1. Subjects are the
 * release files; the build definition is what was asked for (repository, tag, the resolved spec) and what it resolved
 * to (the commit); the run details say who ran it (the worker), which workflow run, when, and how each stage went.
 * Everything that decides the source archives' bytes is in it, so that anyone can rebuild them ({@code release verify
 * --rebuild}): the spec, the commit, the engine's and the compression libraries' versions ({@code builder.version})
 * and the compression settings ({@code internalParameters.archives}).
 */
public final class ProvenanceWriter {
  public static final String FILE_NAME = "provenance.intoto.json";
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "https://durablerelease.dev/release/v1";
  /** The engine's entry in {@code runDetails.builder.version}, beside the libraries'. */
  public static final String ENGINE = "durable-release";
  /** The byproduct that names the two builders that agreed. */
  public static final String REPRODUCIBILITY = "reproducibility";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .build();

  private ProvenanceWriter() {}

  /**
   * @param builder identity of the worker writing the statement
   * @param engineVersion this engine's version
   * @param workflowId the release's workflow id
   * @param runId its run id
   * @param finishedOn when the build finished (now, as the statement is the last thing the build writes)
   */
  public static byte[] statement(ProvenanceInput input, String builder, String engineVersion, String workflowId,
      String runId, Instant finishedOn) throws IOException {
    Checkout c = input.checkout();
    ObjectNode statement = JSON.createObjectNode().put("_type", STATEMENT_TYPE);
    ArrayNode subjects = statement.putArray("subject");
    for (ArtifactRef file : input.subjects()) {
      subjects.addObject().put("name", file.name()).putObject("digest").put("sha256", file.sha256());
    }
    statement.put("predicateType", PREDICATE_TYPE);
    ObjectNode predicate = statement.putObject("predicate");

    ObjectNode definition = predicate.putObject("buildDefinition").put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters")
        .put("repository", c.repository())
        .put("tag", c.tag())
        .put("version", c.spec().version());
    VersionFacts version = c.facts();
    if (version.level() != null) {
      external.put("normalizedVersion", version.normalized())
          .put("versionScheme", version.scheme())
          .put("releaseLevel", version.level())
          .put("prerelease", version.prerelease());
    }
    external.put("specDigest", "sha256:" + c.specDigest());
    ObjectNode internal = definition.putObject("internalParameters");
    internal.set("spec", JSON.valueToTree(c.spec()));
    internal.set("archives", JSON.valueToTree(ArchiveSettings.compression()));
    definition.putArray("resolvedDependencies").addObject()
        .put("uri", gitUri(c.repository()) + "@refs/tags/" + c.tag())
        .putObject("digest").put("gitCommit", c.commit());

    ObjectNode run = predicate.putObject("runDetails");
    ObjectNode builderVersions = run.putObject("builder")
        .put("id", "urn:durable-release:worker:" + builder)
        .putObject("version").put(ENGINE, engineVersion);
    ArchiveSettings.libraries().forEach(builderVersions::put);
    ObjectNode metadata = run.putObject("metadata").put("invocationId", workflowId + "/" + runId);
    input.stages().stream().filter(s -> s.startedAt() > 0).mapToLong(StageStatus::startedAt).min()
        .ifPresent(start -> metadata.put("startedOn", Instant.ofEpochMilli(start).toString()));
    metadata.put("finishedOn", finishedOn.toString());
    ArrayNode stages = run.putArray("byproducts");
    for (StageStatus s : input.stages()) {
      // a stage that has not run (or is this one, still running) did not contribute to the files
      if (!s.state().isDone() || s.state() == StageState.NOT_CONFIGURED) {
        continue;
      }
      ObjectNode annotations = stages.addObject().put("name", "stage:" + s.stage()).putObject("annotations");
      annotations.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
          .put("attempts", s.attempts())
          .put("worker", s.worker())
          .put("startedOn", Instant.ofEpochMilli(s.startedAt()).toString())
          .put("finishedOn", Instant.ofEpochMilli(s.endedAt()).toString());
      if (s.state() == StageState.SKIPPED) {
        // by an operator after it blocked, or "skipped (pre-release)": the version's level is not one it runs for
        annotations.put("reason", s.detail());
      }
      if (s.sandbox() != null) {
        // how project code was isolated: "none" says the stage ran unsandboxed (--unsafe-no-sandbox)
        annotations.put("sandbox", s.sandbox());
      }
    }
    if (input.agreement() != null) {
      // which builders, on which queues, made byte-identical source archives and SBOMs
      stages.addObject().put("name", REPRODUCIBILITY).putObject("annotations")
          .put("agreed", true)
          .<ObjectNode>set("builders", JSON.valueToTree(input.agreement().builders()))
          .set("files", JSON.valueToTree(input.agreement().files()));
    }
    // approvals, retries and skips: who decided what, so that a skipped stage is never silent
    for (OperatorEvent event : input.operatorEvents()) {
      ObjectNode annotations = stages.addObject().put("name", "operator:" + event.action()).putObject("annotations")
          .put("stage", event.stage())
          .put("operator", event.operator())
          .put("note", event.note())
          .put("at", Instant.ofEpochMilli(event.at()).toString());
      if (event.automatic()) {
        // decided by a program on the operator's behalf (release run with no terminal to ask), not by them
        annotations.put("automatic", true);
      }
    }
    // signed approvals, each checkable by anyone with ssh-keygen -Y verify (content is the exact signed text)
    for (SignedDecision approval : input.approvals()) {
      stages.addObject().put("name", "approval:" + approval.approver())
          .put("content", Base64.getEncoder().encodeToString(approval.statement().getBytes(StandardCharsets.UTF_8)))
          .put("mediaType", "application/json")
          .putObject("annotations")
          .put("approver", approval.approver())
          .put("publicKey", approval.publicKey())
          .put("fingerprint", approval.fingerprint())
          .put("namespace", approval.namespace())
          .put("signature", approval.signature());
    }
    return JSON.writeValueAsBytes(statement);
  }

  private static String gitUri(String repository) {
    return "git+" + (repository.contains("://") ? repository : "file://" + repository);
  }
}
