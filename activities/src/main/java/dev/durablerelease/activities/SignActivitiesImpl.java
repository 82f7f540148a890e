package dev.durablerelease.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.DecisionCheck;
import dev.durablerelease.activity.DecisionStatement;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.GrantRequest;
import dev.durablerelease.activity.SignActivities;
import dev.durablerelease.activity.SignInput;
import dev.durablerelease.activity.Signatures;
import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.activity.SigningGrant;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.policy.ApprovalPolicy;
import dev.durablerelease.policy.PolicyVersions;
import dev.durablerelease.policy.ProjectPolicy;
import dev.durablerelease.policy.SigningPolicy;
import dev.durablerelease.sign.DecisionSignatures;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.sign.IdentityPolicy;
import dev.durablerelease.sign.IdentityToken;
import dev.durablerelease.sign.SigstoreInstance;
import dev.durablerelease.sign.SigstoreSigner;
import dev.durablerelease.sign.SigstoreVerifier;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.store.BlobIntegrityException;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.oidc.client.OidcException;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.util.FileUtils;

/**
 * Signing on the {@code release-sign} queue. Runs no project code. How a project is signed and who approves it are
 * this worker's policy; the identity token is read here, from the policy's reference, and never leaves this activity
 * (errors are scrubbed of it before they become Temporal failures).
 */
public class SignActivitiesImpl implements SignActivities {
  /** Failures of the Sigstore services that a later attempt may not meet. */
  private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
      Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN);
  /** Retryable failure type: a Sigstore service could not be reached or failed. */
  static final String SERVICE_UNAVAILABLE = "SigningServiceUnavailable";
  static final String BUNDLE_SUFFIX = ".sigstore";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkerContext context;

  public SignActivitiesImpl(WorkerContext context) {
    this.context = context;
  }

  @Override
  public SigningGrant grantSigning(GrantRequest request) {
    return StageActivity.run(context, stage -> {
      ProjectPolicy project = context.policy().project(request.project());
      SigningPolicy signing = project.signing() == null ? null
          : project.signing().forRelease(request.project(), request.version());
      ApprovalPolicy approval = project.approval();
      // a spec whose scheme is not the one the policy pins is refused here as on the upload worker
      PolicyVersions.read(context.policy(), request.project(), request.version(), request.versioning());
      String skipped = approval == null || approval.required() == 0 ? null
          : approvalOutside(approval, request.project(), request.version());
      SigningGrant.ApprovalRule rule = approval == null || approval.required() == 0 || skipped != null ? null
          : new SigningGrant.ApprovalRule(approval.required(), approval.approverNames(), approval.timeout(),
              approval.reminder(), approval.skipsNeedSignature());
      int builders = project.reproducibility() == null ? 1 : project.reproducibility().required();
      return new SigningGrant(signing == null ? null : orDefault(signing.mode(), SigningPolicy.PUBLIC),
          signing == null ? null : signing.expectIdentity(), signing == null ? null : signing.expectIssuer(), rule,
          stage.finished(), skipped, builders);
    });
  }

  @Override
  public SignedDecision verifyDecision(DecisionCheck check) {
    return StageActivity.run(context, stage -> {
      SignedDecision decision = verified(check.project(), check.statement(), check.signature());
      requireThisRun(statement(decision), check.project());
      return decision;
    });
  }

  @Override
  public Signatures sign(SignInput input) {
    return StageActivity.reusable(context, "sign", input, input.resume(), Signatures.class,
        StageActivity.alive(stage -> {
      ProjectPolicy project = context.policy().project(input.project());
      if (project.signing() == null) {
        throw new StageFailure(Failures.POLICY_REFUSED, context.policy().describe()
            + " does not sign releases of " + input.project() + "; nothing was signed");
      }
      SigningPolicy spec = project.signing().forRelease(input.project(), input.version());
      // the tamper window between build and sign closes here: every file first, so nothing is signed on a mismatch
      // (nor is the approval checked against bytes whose digest was not)
      List<byte[]> digests = new ArrayList<>();
      for (ArtifactRef file : input.files()) {
        digests.add(rehash(file));
      }
      requireApprovals(input, project.approval());
      if (spec.isDev()) {
        return signWithDevInstance(input.files(), digests, spec, stage);
      }
      SigstoreInstance instance = SigningPolicy.PRIVATE.equals(spec.mode())
          ? SigstoreInstance.fromFiles(Path.of(spec.trustedRoot()), Path.of(spec.signingConfig()))
          : SigstoreInstance.publicGood();
      IdentityPolicy policy = new IdentityPolicy(spec.expectIdentity(), spec.expectIssuer());
      IdentityToken token = IdentityToken.fromReference(spec.identityToken(), System.getenv());
      List<ArtifactRef> bundles = signAndVerify(input.files(), digests, instance, token, policy, spec);
      return new Signatures(bundles, null, null, policy.identity(), policy.issuer(), stage.finished());
    }));
  }

  /**
   * Nothing is signed that the policy's approvers did not approve: as many distinct approvers as it asks must have
   * signed this run's statement, and the statement must list every file signed here with the same digest (the
   * provenance, made after the approval, must vouch for exactly the approved files).
   */
  private void requireApprovals(SignInput input, ApprovalPolicy approval) throws IOException {
    if (approval == null || approval.required() == 0
        || approvalOutside(approval, input.project(), input.version()) != null) {
      return;
    }
    Set<String> keys = new HashSet<>();
    Map<String, String> approved = null;
    for (SignedDecision decision : input.approvals()) {
      SignedDecision verified = verified(input.project(), decision.statement(), decision.signature());
      DecisionStatement statement = statement(verified);
      requireThisRun(statement, input.project());
      if (!"approve".equals(statement.decision()) || !input.version().equals(statement.version())) {
        throw new StageFailure(Failures.APPROVAL_REFUSED, "an approval of " + verified.approver() + " is not an"
            + " approval of " + input.project() + " " + input.version() + "; nothing was signed");
      }
      Map<String, String> files = new HashMap<>();
      statement.files().forEach(f -> files.put(f.name(), f.sha256()));
      if (approved != null && !approved.equals(files)) {
        throw new StageFailure(Failures.APPROVAL_REFUSED, "the approvals approve different files; nothing was"
            + " signed");
      }
      approved = files;
      keys.add(verified.fingerprint());
    }
    if (keys.size() < approval.required()) {
      throw new StageFailure(Failures.APPROVAL_REFUSED, input.project() + " " + input.version() + " needs "
          + approval.required() + " approvals by distinct approvers (" + String.join(", ", approval.approverNames())
          + ") under the operator's policy, and has " + keys.size() + "; nothing was signed");
    }
    for (ArtifactRef file : input.files()) {
      boolean listed = file.sha256().equals(approved.get(file.name()));
      boolean vouchedFor = file.kind() == ArtifactKind.PROVENANCE && subjects(file).equals(approved);
      if (!listed && !vouchedFor) {
        throw new StageFailure(Failures.APPROVAL_REFUSED, file.name() + " (sha256 " + file.sha256() + ") is not what"
            + " the approvers approved; nothing was signed");
      }
    }
  }

  /**
   * Why the policy's approval is not for this version (it names other release levels), or null when it is. The level
   * is read here under the scheme the policy pins, never taken from the workflow: a version whose level is unknown
   * needs the approval.
   */
  private String approvalOutside(ApprovalPolicy approval, String project, String version) {
    VersionFacts facts = PolicyVersions.forApproval(context.policy(), project, version);
    return facts.level() == null ? null : PolicyVersions.outside(approval.levels(), facts, "approval is for");
  }

  /** The subjects of a provenance statement, by name and SHA-256. */
  private Map<String, String> subjects(ArtifactRef provenance) throws IOException {
    Map<String, String> subjects = new HashMap<>();
    try (InputStream in = context.store().open(provenance.sha256())) {
      for (JsonNode subject : JSON.readTree(in).path("subject")) {
        subjects.put(subject.path("name").asText(), subject.path("digest").path("sha256").asText());
      }
    }
    return subjects;
  }

  private SignedDecision verified(String project, String statement, String signature) throws IOException {
    Map<String, String> approvers = new TreeMap<>();
    ApprovalPolicy approval = context.policy().project(project).approval();
    for (String name : approval == null ? List.<String>of() : approval.approverNames()) {
      approvers.put(name, context.policy().approvers().get(name));
    }
    if (approvers.isEmpty()) {
      throw new StageFailure(Failures.APPROVAL_REFUSED, context.policy().describe()
          + " names no approver for " + project);
    }
    return DecisionSignatures.verify(approvers, statement, signature, context.workDir().resolve("tmp"));
  }

  private static DecisionStatement statement(SignedDecision decision) {
    try {
      return DecisionStatement.parse(decision.statement());
    } catch (JsonProcessingException e) {
      throw new StageFailure(Failures.APPROVAL_REFUSED, "the signed text is not a decision statement: "
          + e.getOriginalMessage());
    }
  }

  /** A statement about this very run of this release: a signature cannot be replayed into another. */
  private static void requireThisRun(DecisionStatement statement, String project) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    if (!DecisionStatement.FORMAT.equals(statement.format()) || !project.equals(statement.project())
        || !info.getWorkflowId().equals(statement.workflowId()) || !info.getRunId().equals(statement.runId())) {
      throw new StageFailure(Failures.APPROVAL_REFUSED, "the signed statement is about " + statement.project() + " "
          + statement.version() + " (release " + statement.workflowId() + ", run " + statement.runId() + "), not"
          + " this run of " + project + "; sign the statement this run asks for (release approve does)");
    }
  }

  /**
   * Dev mode: a throwaway Sigstore instance for this attempt, and its trust published with the bundles, as the trusted
   * root (cosign, sigstore-js, release verify) and as a client trust config (sigstore-python).
   */
  private Signatures signWithDevInstance(List<ArtifactRef> files, List<byte[]> digests, SigningPolicy spec,
      StageActivity stage) throws IOException {
    Path trust = Files.createTempDirectory(Files.createDirectories(context.workDir().resolve("tmp")), "dev-sigstore-");
    try (DevSigstore dev = DevSigstore.start()) {
      dev.writeTrustFiles(trust);
      String identity = DevSigstore.localIdentity();
      IdentityPolicy policy = new IdentityPolicy(orDefault(spec.expectIdentity(), identity),
          orDefault(spec.expectIssuer(), DevSigstore.ISSUER));
      IdentityToken token = IdentityToken.minted(dev.mintToken(identity, Duration.ofMinutes(10)));
      Path trustedRoot = trust.resolve(DevSigstore.TRUSTED_ROOT_FILE);
      List<ArtifactRef> bundles = signAndVerify(files, digests,
          SigstoreInstance.fromFiles(trustedRoot, trust.resolve(DevSigstore.SIGNING_CONFIG_FILE)), token, policy, spec);
      ArtifactRef publishedRoot = context.store().put(trustedRoot, DevSigstore.TRUSTED_ROOT_FILE,
          ArtifactKind.TRUSTED_ROOT);
      ArtifactRef publishedConfig = context.store().put(trust.resolve(DevSigstore.TRUST_CONFIG_FILE),
          DevSigstore.TRUST_CONFIG_FILE, ArtifactKind.TRUSTED_ROOT);
      return new Signatures(bundles, publishedRoot, publishedConfig, policy.identity(), policy.issuer(),
          stage.finished());
    } finally {
      FileUtils.delete(trust.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
    }
  }

  private List<ArtifactRef> signAndVerify(List<ArtifactRef> files, List<byte[]> digests, SigstoreInstance instance,
      IdentityToken token, IdentityPolicy policy, SigningPolicy spec) throws IOException {
    List<Bundle> bundles;
    SigstoreVerifier verifier;
    try {
      bundles = SigstoreSigner.sign(instance, token.clients(), digests);
      verifier = new SigstoreVerifier(instance.trustedRoot());
    } catch (Exception e) {
      throw signingFailure(e, token, instance, spec);
    }
    List<ArtifactRef> stored = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      ArtifactRef file = files.get(i);
      String json = bundles.get(i).toJson();
      try {
        // verify what will be published: the bundle as written and read back
        verifier.verify(digests.get(i), Bundle.from(new StringReader(json)), policy);
      } catch (KeylessVerificationException | BundleParseException e) {
        throw ApplicationFailure.newNonRetryableFailure("the bundle just made for " + file.name()
            + " does not verify as " + policy + " with the trusted root of " + instance.name() + ": "
            + token.redact(e.getMessage()) + "; check signing.expectIdentity and signing.expectIssuer in the operator's policy against the identity"
            + " the token carries", Failures.SIGNATURE_INVALID);
      }
      stored.add(StoredFiles.put(context, file.name() + BUNDLE_SUFFIX, json.getBytes(StandardCharsets.UTF_8),
          ArtifactKind.SIGNATURE));
    }
    return stored;
  }

  /**
   * Reads a file back from the store, which re-hashes every byte, and refuses it unless it still has the digest
   * recorded when it was built.
   */
  private byte[] rehash(ArtifactRef file) throws IOException {
    try {
      context.store().verify(file.sha256());
    } catch (BlobIntegrityException e) {
      if (e.localCopy()) {
        throw e;
      }
      throw new StageFailure(Failures.DIGEST_MISMATCH, file.name() + " changed after it was built: " + e.getMessage()
          + "; nothing was signed. Find what altered the store, then resume the release (release resume) to build"
          + " it again");
    }
    return HexFormat.of().parseHex(file.sha256());
  }

  /**
   * A Temporal failure for an exception from signing: refusals (bad or expired token, bad configuration) stop at once,
   * outages of a Sigstore service retry. The message is scrubbed of the token and carries no cause (a cause's stack
   * and messages would land in the history unscrubbed).
   */
  private static ApplicationFailure signingFailure(Exception e, IdentityToken token, SigstoreInstance instance,
      SigningPolicy spec) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IdentityToken.UnavailableException unavailable) {
        return ApplicationFailure.newNonRetryableFailure(unavailable.getMessage(), Failures.SIGNING_REFUSED);
      }
    }
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException grpc) {
        Status status = grpc.getStatus();
        String message = "the CA of " + instance.name() + " did not issue a signing certificate: " + status.getCode()
            + (status.getDescription() == null ? "" : ": " + token.redact(status.getDescription()));
        if (TRANSIENT.contains(status.getCode())) {
          return ApplicationFailure.newFailure(message + "; retrying", SERVICE_UNAVAILABLE);
        }
        return ApplicationFailure.newNonRetryableFailure(message + "; check the identity token behind "
            + token.reference() + " (fresh, for the right audience) and the CA's policy", Failures.SIGNING_REFUSED);
      }
      if (t instanceof OidcException) {
        return ApplicationFailure.newNonRetryableFailure("the identity token behind " + token.reference()
            + " cannot be used: " + token.redact(t.getMessage()), Failures.SIGNING_REFUSED);
      }
      chain.append(chain.length() == 0 ? "" : ": ").append(t.getMessage());
    }
    String message = "signing with " + instance.name() + " failed: " + token.redact(chain.toString());
    if (e instanceof SigstoreConfigurationException && !SigningPolicy.PUBLIC.equals(spec.mode())) {
      // the trust files are on this worker and wrong; a retry reads the same files
      return ApplicationFailure.newNonRetryableFailure(message + "; fix signing.trustedRoot / signing.signingConfig in the operator's policy",
          Failures.INVALID_SPEC);
    }
    return ApplicationFailure.newFailure(message, SERVICE_UNAVAILABLE);
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
