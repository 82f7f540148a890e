package dev.durablerelease.activities;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.SignActivities;
import dev.durablerelease.activity.SignInput;
import dev.durablerelease.activity.Signatures;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.sign.IdentityPolicy;
import dev.durablerelease.sign.IdentityToken;
import dev.durablerelease.sign.SigstoreInstance;
import dev.durablerelease.sign.SigstoreSigner;
import dev.durablerelease.sign.SigstoreVerifier;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.spec.SignSpec;
import dev.durablerelease.store.BlobIntegrityException;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.oidc.client.OidcException;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.util.FileUtils;

/**
 * Signing on the {@code release-sign} queue. Runs no project code; the identity token is read here, from the reference
 * in the spec, and never leaves this activity (errors are scrubbed of it before they become Temporal failures).
 */
public class SignActivitiesImpl implements SignActivities {
  /** Failures of the Sigstore services that a later attempt may not meet. */
  private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
      Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN);
  /** Retryable failure type: a Sigstore service could not be reached or failed. */
  static final String SERVICE_UNAVAILABLE = "SigningServiceUnavailable";
  static final String TRUSTED_ROOT_NAME = "trusted_root.json";
  static final String BUNDLE_SUFFIX = ".sigstore";

  private final WorkerContext context;

  public SignActivitiesImpl(WorkerContext context) {
    this.context = context;
  }

  @Override
  public Signatures sign(SignInput input) {
    return StageActivity.reusable(context, "sign", input, input.resume(), Signatures.class,
        StageActivity.alive(stage -> {
      // the tamper window between build and sign closes here: every file first, so nothing is signed on a mismatch
      List<byte[]> digests = new ArrayList<>();
      for (ArtifactRef file : input.files()) {
        digests.add(rehash(file));
      }
      SignSpec spec = input.sign();
      if (spec.isDev()) {
        return signWithDevInstance(input.files(), digests, spec, stage);
      }
      SigstoreInstance instance = SignSpec.PRIVATE.equals(spec.mode())
          ? SigstoreInstance.fromFiles(Path.of(spec.trustedRoot()), Path.of(spec.signingConfig()))
          : SigstoreInstance.publicGood();
      IdentityPolicy policy = new IdentityPolicy(spec.expectIdentity(), spec.expectIssuer());
      IdentityToken token = IdentityToken.fromReference(spec.identityToken(), System.getenv());
      List<ArtifactRef> bundles = signAndVerify(input.files(), digests, instance, token, policy, spec);
      return new Signatures(bundles, null, policy.identity(), policy.issuer(), stage.finished());
    }));
  }

  /** Dev mode: a throwaway Sigstore instance for this attempt, and its trusted root published with the bundles. */
  private Signatures signWithDevInstance(List<ArtifactRef> files, List<byte[]> digests, SignSpec spec,
      StageActivity stage) throws IOException {
    Path trust = Files.createTempDirectory(Files.createDirectories(context.workDir().resolve("tmp")), "dev-sigstore-");
    try (DevSigstore dev = DevSigstore.start()) {
      dev.writeTrustFiles(trust);
      String identity = DevSigstore.localIdentity();
      IdentityPolicy policy = new IdentityPolicy(orDefault(spec.expectIdentity(), identity),
          orDefault(spec.expectIssuer(), DevSigstore.ISSUER));
      IdentityToken token = IdentityToken.minted(dev.mintToken(identity, Duration.ofMinutes(10)));
      Path trustedRoot = trust.resolve(TRUSTED_ROOT_NAME);
      List<ArtifactRef> bundles = signAndVerify(files, digests,
          SigstoreInstance.fromFiles(trustedRoot, trust.resolve("signing_config.json")), token, policy, spec);
      ArtifactRef published = context.store().put(trustedRoot, TRUSTED_ROOT_NAME, ArtifactKind.TRUSTED_ROOT);
      return new Signatures(bundles, published, policy.identity(), policy.issuer(), stage.finished());
    } finally {
      FileUtils.delete(trust.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
    }
  }

  private List<ArtifactRef> signAndVerify(List<ArtifactRef> files, List<byte[]> digests, SigstoreInstance instance,
      IdentityToken token, IdentityPolicy policy, SignSpec spec) throws IOException {
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
            + token.redact(e.getMessage()) + "; check sign.expectIdentity and sign.expectIssuer against the identity"
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
    try (InputStream in = context.store().open(file.sha256())) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (BlobIntegrityException e) {
      throw new StageFailure(Failures.DIGEST_MISMATCH, file.name() + " changed after it was built: " + e.getMessage()
          + "; nothing was signed. Find what altered the store, then release again from the start");
    }
    return HexFormat.of().parseHex(file.sha256());
  }

  /**
   * A Temporal failure for an exception from signing: refusals (bad or expired token, bad configuration) stop at once,
   * outages of a Sigstore service retry. The message is scrubbed of the token and carries no cause (a cause's stack
   * and messages would land in the history unscrubbed).
   */
  private static ApplicationFailure signingFailure(Exception e, IdentityToken token, SigstoreInstance instance,
      SignSpec spec) {
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
    if (e instanceof SigstoreConfigurationException && !SignSpec.PUBLIC.equals(spec.mode())) {
      // the trust files are on this worker and wrong; a retry reads the same files
      return ApplicationFailure.newNonRetryableFailure(message + "; fix sign.trustedRoot / sign.signingConfig",
          Failures.INVALID_SPEC);
    }
    return ApplicationFailure.newFailure(message, SERVICE_UNAVAILABLE);
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
