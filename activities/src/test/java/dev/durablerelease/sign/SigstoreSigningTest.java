package dev.durablerelease.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.store.Digests;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.ImmutableBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real sigstore-java signer and verifier against the dev Sigstore stack on loopback: a Fulcio-compatible CA over
 * gRPC with TLS and a CT log key, a Rekor v1 log and a timestamp authority, with the trusted root that describes them.
 */
class SigstoreSigningTest {
  private static final String SIGNER = "release-bot@example.org";

  @TempDir
  Path tmp;

  private DevSigstore sigstore;
  private SigstoreInstance instance;
  private IdentityPolicy policy;

  @BeforeEach
  void setUp() throws Exception {
    sigstore = DevSigstore.start();
    instance = instance(sigstore, tmp.resolve("trust"));
    policy = new IdentityPolicy(SIGNER, DevSigstore.ISSUER);
  }

  @AfterEach
  void tearDown() {
    sigstore.close();
  }

  private static SigstoreInstance instance(DevSigstore stack, Path dir) throws Exception {
    stack.writeTrustFiles(dir);
    return SigstoreInstance.fromFiles(dir.resolve("trusted_root.json"), dir.resolve("signing_config.json"));
  }

  private Path artifact(String name, String content) throws Exception {
    return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
  }

  private Bundle signAndWrite(Path artifact) throws Exception {
    IdentityToken token = IdentityToken.minted(sigstore.mintToken(SIGNER, Duration.ofMinutes(5)));
    Bundle bundle = SigstoreSigner.sign(instance, token.clients(), List.of(sha256(artifact))).get(0);
    Path written = Files.writeString(tmp.resolve(artifact.getFileName() + ".sigstore"), bundle.toJson());
    return Bundle.from(written, StandardCharsets.UTF_8);
  }

  private void verify(Path artifact, Bundle bundle, IdentityPolicy expected) throws Exception {
    new SigstoreVerifier(instance.trustedRoot()).verify(sha256(artifact), bundle, expected);
  }

  private static byte[] sha256(Path file) throws Exception {
    return HexFormat.of().parseHex(Digests.sha256Hex(file));
  }

  @Test
  void signedBundleIsWrittenReadBackAndVerifies() throws Exception {
    Path archive = artifact("hello-1.0.0.tar.gz", "not really a tarball\n");
    Bundle bundle = signAndWrite(archive);

    verify(archive, bundle, policy);
    assertThat(bundle.getEntries()).singleElement().satisfies(e -> assertThat(e.getIntegratedTime()).isPositive());
    assertThat(bundle.getTimestamps()).as("a TSA timestamp beside the log entry").hasSize(1);
    assertThat(bundle.toJson()).contains("application/vnd.dev.sigstore.bundle.v0.3+json");
  }

  @Test
  void identityGivenAsRegexMatchesTheWholeValue() throws Exception {
    Path archive = artifact("hello.tar.gz", "content\n");
    Bundle bundle = signAndWrite(archive);
    verify(archive, bundle, new IdentityPolicy("regex:^release-bot@example\\.org$", "regex:^https://oidc\\..*$"));
    assertThatThrownBy(() -> verify(archive, bundle, new IdentityPolicy("regex:release-bot", DevSigstore.ISSUER)))
        .isInstanceOf(KeylessVerificationException.class);
  }

  @Test
  void wrongIdentityIsRejected() throws Exception {
    Path archive = artifact("hello.tar.gz", "content\n");
    Bundle bundle = signAndWrite(archive);
    assertThatThrownBy(() -> verify(archive, bundle, new IdentityPolicy("mallory@example.org", DevSigstore.ISSUER)))
        .isInstanceOf(KeylessVerificationException.class)
        .hasMessageContaining("No provided certificate identities matched");
  }

  @Test
  void wrongIssuerIsRejected() throws Exception {
    Path archive = artifact("hello.tar.gz", "content\n");
    Bundle bundle = signAndWrite(archive);
    assertThatThrownBy(() -> verify(archive, bundle,
        new IdentityPolicy(SIGNER, "https://token.actions.githubusercontent.com")))
        .isInstanceOf(KeylessVerificationException.class)
        .hasMessageContaining("No provided certificate identities matched");
  }

  @Test
  void tamperedArtifactIsRejected() throws Exception {
    Path archive = artifact("hello.tar.gz", "content\n");
    Bundle bundle = signAndWrite(archive);
    Files.writeString(archive, "content, altered\n");
    assertThatThrownBy(() -> verify(archive, bundle, policy))
        .isInstanceOf(KeylessVerificationException.class)
        .hasMessageContaining("Provided artifact digest does not match");
  }

  @Test
  void bundleDoesNotVerifyWithAnUnrelatedTrustedRoot() throws Exception {
    Path archive = artifact("hello.tar.gz", "content\n");
    Bundle bundle = signAndWrite(archive);
    try (DevSigstore other = DevSigstore.start()) {
      SigstoreInstance unrelated = instance(other, tmp.resolve("other-trust"));
      assertThatThrownBy(() -> new SigstoreVerifier(unrelated.trustedRoot()).verify(sha256(archive), bundle, policy))
          .isInstanceOf(KeylessVerificationException.class)
          .hasMessageContaining("Fulcio certificate was not valid");
    }
  }

  @Test
  void certificateThatExpiredBeforeItsLogEntryIsRejectedThoughSigstoreJavaAcceptsIt() throws Exception {
    try (DevSigstore backdating = DevSigstore.start(DevSigstore.Options.DEFAULT
        .withCertificateWindow(Duration.ofMinutes(-20), Duration.ofMinutes(10)))) {
      SigstoreInstance expired = instance(backdating, tmp.resolve("backdating-trust"));
      Path archive = artifact("hello.tar.gz", "content\n");
      IdentityToken token = IdentityToken.minted(backdating.mintToken(SIGNER, Duration.ofMinutes(5)));
      Bundle timestamped = SigstoreSigner.sign(expired, token.clients(), List.of(sha256(archive))).get(0);
      // a TSA timestamp exposes the expiry by itself; a bundle with only its Rekor v1 entry, as most are, does not
      Bundle bundle = ImmutableBundle.builder().from(timestamped).timestamps(List.of()).build();
      assertThatThrownBy(() -> new SigstoreVerifier(expired.trustedRoot()).verify(sha256(archive), timestamped, policy))
          .isInstanceOf(KeylessVerificationException.class)
          .hasMessageContaining("RFC3161 timestamp verification failed");

      // sigstore-java 2.0.0 alone lets it through (fixed upstream in 2.1.0)
      dev.sigstore.KeylessVerifier.builder().trustedRootProvider(expired.trustedRoot()).build()
          .verify(sha256(archive), bundle, policy.verificationOptions());
      assertThatThrownBy(() -> new SigstoreVerifier(expired.trustedRoot()).verify(sha256(archive), bundle, policy))
          .isInstanceOf(KeylessVerificationException.class)
          .hasMessageContaining("was not valid when the log integrated the entry");
    }
  }

  @Test
  void expiredIdentityTokenIsRefusedByTheCa() throws Exception {
    Path archive = artifact("hello.tar.gz", "content\n");
    IdentityToken token = IdentityToken.minted(sigstore.mintToken(SIGNER, Duration.ofMinutes(-1)));
    assertThatThrownBy(() -> SigstoreSigner.sign(instance, token.clients(), List.of(sha256(archive))))
        .isInstanceOf(io.grpc.StatusRuntimeException.class)
        .hasMessageContaining("UNAUTHENTICATED: the identity token has expired");
  }
}
