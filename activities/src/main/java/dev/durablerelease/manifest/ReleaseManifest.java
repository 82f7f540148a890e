package dev.durablerelease.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.durablerelease.activity.BuildAgreement;
import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.contract.OperatorEvent;
import java.util.List;

/**
 * {@code release.json}: the index of a release, published last so that a reader who finds it finds every file.
 *
 * @param schema format identifier
 * @param project project name
 * @param version released version, as the spec writes it
 * @param normalizedVersion its normal form under its scheme (e.g. PEP 440's 3.14.0rc1); absent without a scheme
 * @param versionScheme semver, pep440 or calver; absent without one
 * @param releaseLevel dev, alpha, beta, rc, final or post; absent without a scheme
 * @param prerelease whether the release is a pre-release (a level below final); absent without a scheme
 * @param repository where the source came from
 * @param tag the tag released
 * @param commit the commit it resolved to
 * @param tree the commit's tree
 * @param commitTime commit time (ISO-8601, UTC)
 * @param specDigest SHA-256 of the spec's canonical JSON
 * @param workflowId the Temporal workflow that made the release
 * @param runId its run
 * @param artifacts every published file of the release
 * @param logs logs of the project commands, kept in the artifact store under their digest
 * @param stages the stages that produced them
 * @param targets where the release is published
 * @param operatorEvents operators' decisions before the manifest was written (retries, skips)
 * @param sandboxed false when a stage ran project code (tests, docs) without a sandbox ({@code --unsafe-no-sandbox})
 * @param signing how the files are signed: {@code public}, {@code private}, or {@code dev} (a throwaway instance
 *     whose {@code trusted_root.json} is trusted by no one else); absent when they are not
 * @param approvals the approvers' signed approvals: check one with {@code ssh-keygen -Y verify -n NAMESPACE -I
 *     APPROVER -f allowed_signers -s SIG < statement}
 * @param reproducibility the two builders that made byte-identical source archives and SBOMs; absent when one built
 *     them
 */
public record ReleaseManifest(
    String schema,
    String project,
    String version,
    @JsonInclude(JsonInclude.Include.NON_NULL) String normalizedVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) String versionScheme,
    @JsonInclude(JsonInclude.Include.NON_NULL) String releaseLevel,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean prerelease,
    String repository,
    String tag,
    String commit,
    String tree,
    String commitTime,
    String specDigest,
    String workflowId,
    String runId,
    List<Artifact> artifacts,
    List<Artifact> logs,
    List<StageEntry> stages,
    List<String> targets,
    List<OperatorEvent> operatorEvents,
    boolean sandboxed,
    @JsonInclude(JsonInclude.Include.NON_NULL) String signing,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SignedDecision> approvals,
    @JsonInclude(JsonInclude.Include.NON_NULL) Reproducibility reproducibility) {

  public static final String SCHEMA = "https://durablerelease.dev/release/v1";

  /**
   * Two builders agreed.
   *
   * @param agreed always true: a release whose builders disagree is never published
   * @param builders who built, the first builder first
   * @param files the files both made byte for byte
   */
  public record Reproducibility(boolean agreed, List<BuildAgreement.Builder> builders, List<String> files) {}

  /**
   * A file of the release.
   *
   * @param bundle the name of its Sigstore bundle, when the release was signed
   */
  public record Artifact(String name, String kind, long size, String sha256,
      @JsonInclude(JsonInclude.Include.NON_NULL) String bundle) {}

  /**
   * A stage as it ran.
   *
   * @param startedAt ISO-8601 or null when it did not run
   * @param endedAt ISO-8601 or null when it did not run
   * @param sandbox for stages that ran project code: {@code bubblewrap}, or {@code none} when unsandboxed
   */
  public record StageEntry(String stage, String state, int attempts, String startedAt, String endedAt, String worker,
      String detail, @JsonInclude(JsonInclude.Include.NON_NULL) String sandbox) {}
}
