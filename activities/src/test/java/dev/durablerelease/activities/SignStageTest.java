package dev.durablerelease.activities;

import static dev.durablerelease.testing.StageHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.SignInput;
import dev.durablerelease.activity.Signatures;
import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.policy.ProjectPolicy;
import dev.durablerelease.policy.SigningPolicy;
import dev.durablerelease.sign.IdentityPolicy;
import dev.durablerelease.sign.SigstoreVerifier;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.testing.Approvers.Approver;
import dev.durablerelease.testing.Approvers;
import dev.durablerelease.testing.StageHarness;
import dev.durablerelease.testing.TestPolicies;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.bundle.Bundle;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign stage as the sign worker runs it: files from the store, token by reference, bundles back into the store. */
class SignStageTest {
  private static final String SIGNER = "release-bot@example.org";

  @TempDir
  Path tmp;

  private StageHarness stages;
  private List<ArtifactRef> files;

  @BeforeEach
  void setUp() throws Exception {
    stages = new StageHarness(tmp.resolve("worker"));
    files = List.of(put("hello-1.0.0.tar.gz", "archive bytes\n", ArtifactKind.SOURCE_ARCHIVE),
        put("hello-1.0.0.tar.gz.spdx.json", "{\"spdxVersion\": \"SPDX-2.3\"}\n", ArtifactKind.SBOM));
  }

  @AfterEach
  void tearDown() {
    stages.close();
  }

  private ArtifactRef put(String name, String content, ArtifactKind kind) throws Exception {
    Path file = Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    return stages.context().store().put(file, name, kind);
  }

  private Path blob(String sha256) {
    return tmp.resolve("worker/store/blobs/sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  private long blobCount() throws Exception {
    try (Stream<Path> walk = Files.walk(tmp.resolve("worker/store/blobs"))) {
      return walk.filter(Files::isRegularFile).count();
    }
  }

  /** A private-mode policy for a stack the test runs, the token in a file as a CI job would leave it. */
  private SigningPolicy privateSpec(DevSigstore sigstore, String token, String expectIdentity) throws Exception {
    Path trust = sigstore.writeTrustFiles(tmp.resolve("trust"));
    Path tokenFile = Files.writeString(tmp.resolve("id-token"), token);
    return new SigningPolicy(SigningPolicy.PRIVATE, "file:" + tokenFile, trust.resolve("trusted_root.json").toString(),
        trust.resolve("signing_config.json").toString(), expectIdentity, DevSigstore.ISSUER);
  }

  /** Signs the files on a sign worker of the same host whose policy signs hello this way. */
  private Signatures sign(SigningPolicy signing) {
    Policy policy = new Policy("test policy", false, ProjectPolicy.EMPTY, Map.of("hello",
        new ProjectPolicy(List.of("**"), null, signing, null, null, null)), Map.of(), Map.of());
    try (StageHarness signer = new StageHarness(tmp.resolve("worker"), CommandRunner.sandboxed(), "sign-worker",
        policy)) {
      return signer.sign().sign(new SignInput("hello", "1.0.0", files, List.of(), false));
    }
  }

  private static final SigningPolicy DEV = new SigningPolicy(SigningPolicy.DEV, null, null, null, null, null);

  private void assertVerifies(Signatures signatures, Path trustedRoot, IdentityPolicy policy) throws Exception {
    SigstoreVerifier verifier = new SigstoreVerifier(TrustedRootProvider.from(trustedRoot));
    for (int i = 0; i < files.size(); i++) {
      ArtifactRef bundleRef = signatures.bundles().get(i);
      assertThat(bundleRef.name()).isEqualTo(files.get(i).name() + ".sigstore");
      assertThat(bundleRef.kind()).isEqualTo(ArtifactKind.SIGNATURE);
      Path bundleFile = tmp.resolve("check").resolve(bundleRef.name());
      stages.context().store().copyTo(bundleRef, bundleFile);
      verifier.verify(HexFormat.of().parseHex(files.get(i).sha256()), Bundle.from(bundleFile, StandardCharsets.UTF_8),
          policy);
    }
  }

  @Test
  void devModeSignsEveryFileAndPublishesTheTrustedRootItUsed() throws Exception {
    Signatures signatures = sign(DEV);

    assertThat(signatures.identity()).isEqualTo(DevSigstore.localIdentity());
    assertThat(signatures.issuer()).isEqualTo(DevSigstore.ISSUER);
    assertThat(signatures.trustedRoot().name()).isEqualTo("trusted_root.json");
    Path trustedRoot = tmp.resolve("check/trusted_root.json");
    stages.context().store().copyTo(signatures.trustedRoot(), trustedRoot);
    assertThat(Files.readString(trustedRoot)).contains(DevSigstore.LABEL);
    assertVerifies(signatures, trustedRoot, new IdentityPolicy(signatures.identity(), signatures.issuer()));

    // the same trust as sigstore-python takes it (ReleaseVerifiersIT runs sigstore-python with it)
    assertThat(signatures.trustConfig().name()).isEqualTo("trust_config.json");
    Path trustConfig = tmp.resolve("check/trust_config.json");
    stages.context().store().copyTo(signatures.trustConfig(), trustConfig);
    JsonNode config = new ObjectMapper().readTree(trustConfig.toFile());
    assertThat(config.get("mediaType").asText()).isEqualTo("application/vnd.dev.sigstore.clienttrustconfig.v0.1+json");
    assertThat(config.get("trustedRoot")).isEqualTo(new ObjectMapper().readTree(trustedRoot.toFile()));
    assertThat(config.at("/signingConfig/mediaType").asText())
        .isEqualTo("application/vnd.dev.sigstore.signingconfig.v0.2+json");
  }

  @Test
  void nothingIsSignedWithoutTheApprovalsThePolicyAsks() throws Exception {
    Approver erin = Approvers.create(tmp.resolve("keys"), "erin");
    Policy policy = TestPolicies.of("""
        projects:
          hello:
            repositories: ["**"]
            signing: {mode: dev}
            approval: {approvals: 1, approvers: [erin]}
        approvers:
          erin: %s
        """.formatted(erin.publicKey()));
    long blobsBefore = blobCount();
    try (StageHarness signer = new StageHarness(tmp.resolve("worker"), CommandRunner.sandboxed(), "sign-worker",
        policy)) {
      ApplicationFailure f = failure(() -> signer.sign().sign(new SignInput("hello", "1.0.0", files, List.of(),
          false)));
      assertThat(f.getType()).isEqualTo(Failures.APPROVAL_REFUSED);
      assertThat(f.getOriginalMessage()).contains("hello 1.0.0 needs 1 approvals by distinct approvers (erin)")
          .contains("has 0; nothing was signed");
    }
    assertThat(blobCount()).isEqualTo(blobsBefore);
  }

  @Test
  void privateDeploymentSignsWithTheTokenFromTheReferencedFile() throws Exception {
    try (DevSigstore sigstore = DevSigstore.start()) {
      SigningPolicy spec = privateSpec(sigstore, sigstore.mintToken(SIGNER, Duration.ofMinutes(5)), SIGNER);
      Signatures signatures = sign(spec);
      assertThat(signatures.trustedRoot()).as("a real deployment's root is not republished").isNull();
      assertThat(signatures.trustConfig()).isNull();
      assertVerifies(signatures, Path.of(spec.trustedRoot()), new IdentityPolicy(SIGNER, DevSigstore.ISSUER));
    }
  }

  @Test
  void fileChangedInTheStoreAfterItWasBuiltIsRefusedAndNothingIsSigned() throws Exception {
    ArtifactRef archive = files.get(0);
    Files.writeString(blob(archive.sha256()), "archive bytes, altered after the build\n");
    String altered = Digests.sha256Hex(blob(archive.sha256()));
    long blobsBefore = blobCount();

    ApplicationFailure f = failure(() -> sign(DEV));

    assertThat(f.getType()).isEqualTo(Failures.DIGEST_MISMATCH);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("hello-1.0.0.tar.gz changed after it was built")
        .contains("sha256:" + archive.sha256()).contains("sha256:" + altered).contains("nothing was signed")
        .contains("moved to quarantine");
    assertThat(blobCount()).as("no bundle and no trusted root were stored, the altered archive was quarantined")
        .isEqualTo(blobsBefore - 1);
  }

  @Test
  void bundleThatDoesNotMatchTheExpectedIdentityFailsTheStage() throws Exception {
    try (DevSigstore sigstore = DevSigstore.start()) {
      SigningPolicy spec = privateSpec(sigstore, sigstore.mintToken(SIGNER, Duration.ofMinutes(5)), "someone@example.org");
      ApplicationFailure f = failure(() -> sign(spec));
      assertThat(f.getType()).isEqualTo(Failures.SIGNATURE_INVALID);
      assertThat(f.getOriginalMessage()).contains("hello-1.0.0.tar.gz does not verify as identity someone@example.org")
          .contains("check signing.expectIdentity");
    }
  }

  @Test
  void expiredTokenIsRefusedWithoutRetryAndTheErrorNeverShowsTheToken() throws Exception {
    try (DevSigstore sigstore = DevSigstore.start()) {
      String token = sigstore.mintToken(SIGNER, Duration.ofMinutes(-1));
      SigningPolicy spec = privateSpec(sigstore, token, SIGNER);
      ApplicationFailure f = failure(() -> sign(spec));
      assertThat(f.getType()).isEqualTo(Failures.SIGNING_REFUSED);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage()).contains("UNAUTHENTICATED: the identity token has expired")
          .contains(spec.identityToken());
      assertThat(f.getOriginalMessage()).doesNotContain(token.split("\\.")[1]);
    }
  }

  @Test
  void missingTokenFileNamesTheReference() throws Exception {
    try (DevSigstore sigstore = DevSigstore.start()) {
      SigningPolicy spec = privateSpec(sigstore, "unused", SIGNER);
      Files.delete(tmp.resolve("id-token"));
      ApplicationFailure f = failure(() -> sign(spec));
      assertThat(f.getType()).isEqualTo(Failures.SIGNING_REFUSED);
      assertThat(f.getOriginalMessage()).contains("signing.identityToken " + spec.identityToken())
          .contains("does not exist on this sign worker");
    }
  }

  @Test
  void caThatIsUnavailableGivesARetryableFailure() throws Exception {
    try (DevSigstore sigstore = DevSigstore.start(DevSigstore.Options.DEFAULT.withCaInterceptor(refuse(Status.UNAVAILABLE)))) {
      SigningPolicy spec = privateSpec(sigstore, sigstore.mintToken(SIGNER, Duration.ofMinutes(5)), SIGNER);
      ApplicationFailure f = failure(() -> sign(spec));
      assertThat(f.getType()).isEqualTo(SignActivitiesImpl.SERVICE_UNAVAILABLE);
      assertThat(f.isNonRetryable()).isFalse();
      assertThat(f.getOriginalMessage()).contains("did not issue a signing certificate: UNAVAILABLE");
    }
  }

  /** A CA that answers every call with the given status: the outage a real Fulcio has, made on purpose. */
  static ServerInterceptor refuse(Status status) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        call.close(status.withDescription("CA is down for maintenance"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    };
  }
}
