package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.testing.SampleRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's release command, exactly as a user runs it: the sample script, the {@code ./release} launcher, the
 * packaged jar, the embedded Temporal server, in a process of its own. Runs after {@code package}.
 */
class SampleReleaseIT {
  @TempDir
  Path tmp;

  @Test
  void readmeReleaseCommandReleasesTheSampleEndToEnd() throws Exception {
    Path script = SampleRepository.projectFolder().getParent().resolve("release-sample.sh");
    ProcessBuilder pb = new ProcessBuilder(script.toString(), tmp.toString()).redirectErrorStream(true);
    pb.environment().remove("TEMPORAL_ADDRESS");
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("using embedded Temporal on 127.0.0.1:").contains("released hello 1.0.0");

    JsonNode manifest = new ObjectMapper().readTree(tmp.resolve("release/release.json").toFile());
    assertThat(manifest.get("commit").asText()).isEqualTo("20d666d48ee4afa68d3aa08131a4dc7b0ff796b3");
    assertThat(tmp.resolve("release/hello-1.0.0.tar.gz")).exists();
    assertThat(tmp.resolve("release/SHA256SUMS")).exists();
    assertThat(output).contains("done      sign").contains("7 bundle(s), verified as " + DevSigstore.localIdentity());
  }

  /** sigstore-js, a verifier written apart from sigstore-java, judges the sample's bundles offline. */
  @Test
  void independentVerifierAcceptsTheSampleBundlesAndRejectsATamperedArchive() throws Exception {
    Path release = tmp.resolve("release");
    Process sample = new ProcessBuilder(SampleRepository.projectFolder().getParent().resolve("release-sample.sh")
        .toString(), tmp.toString()).redirectErrorStream(true).start();
    String sampleOutput = new String(sample.getInputStream().readAllBytes());
    assertThat(sample.waitFor()).as(sampleOutput).isZero();

    String accepted = sigstoreJs(release, DevSigstore.localIdentity(), 0);
    assertThat(accepted).contains("verified hello-1.0.0.tar.gz").contains("verified provenance.intoto.json")
        .contains("sigstore-js: 7 of 7 bundles verified");

    String otherSigner = sigstoreJs(release, "someone@example.org", 1);
    assertThat(otherSigner).contains("REJECTED hello-1.0.0.tar.gz: UNTRUSTED_SIGNER_ERROR");

    Files.writeString(release.resolve("hello-1.0.0.tar.gz"), "tampered", StandardOpenOption.APPEND);
    String tampered = sigstoreJs(release, DevSigstore.localIdentity(), 1);
    assertThat(tampered).contains("REJECTED hello-1.0.0.tar.gz: SIGNATURE_ERROR")
        .contains("verified hello-1.0.0.tar.gz.spdx.json").contains("verified hello-1.0.0.tar.gz.cdx.json")
        .contains("sigstore-js: 6 of 7 bundles verified");
  }

  private static String sigstoreJs(Path release, String identity, int expectedExit) throws Exception {
    Path verifier = SampleRepository.projectFolder().getParent().getParent().getParent()
        .resolve("starter/src/test/node");
    assertThat(verifier.resolve("node_modules/@sigstore/verify"))
        .as("sigstore-js is installed by .ci/run (npm ci --prefix starter/src/test/node)").isDirectory();
    Process node = new ProcessBuilder("node", verifier.resolve("verify-bundles.mjs").toString(), release.toString(),
        release.resolve("trusted_root.json").toString(), identity, DevSigstore.ISSUER)
        .redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes());
    assertThat(node.waitFor()).as(output).isEqualTo(expectedExit);
    return output;
  }
}
