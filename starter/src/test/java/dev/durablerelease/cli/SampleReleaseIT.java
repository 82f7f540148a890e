package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.sign.dev.DevSigstore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's release command, exactly as a user runs it: the sample script, the {@code ./release} launcher, the
 * packaged jar, the embedded Temporal server, in a process of its own. Runs after {@code package}. What the release
 * published is judged by other tools in {@link ReleaseVerifiersIT}.
 */
class SampleReleaseIT {
  @Test
  void readmeReleaseCommandReleasesTheSampleEndToEnd() throws Exception {
    SampleRelease sample = SampleRelease.get();
    Path release = sample.folder();
    // with the Temporal CLI on the PATH (as .ci/run puts it) the release runs on its dev server, history on disk
    assertThat(sample.output()).containsPattern(RequiredTools.hasTemporal()
        ? "using the Temporal dev server on 127\\.0\\.0\\.1:\\d+ \\(history in .*/store/temporal/temporal.sqlite\\);"
            + " Temporal UI at http://127\\.0\\.0\\.1:\\d+"
        : "using Temporal's Java test server on 127\\.0\\.0\\.1:\\d+ in this process\\. Temporal's Java test server"
            + " keeps history in memory").contains("released hello 1.0.0");

    JsonNode manifest = new ObjectMapper().readTree(release.resolve("release.json").toFile());
    assertThat(manifest.get("commit").asText()).isEqualTo("20d666d48ee4afa68d3aa08131a4dc7b0ff796b3");
    assertThat(release.resolve("hello-1.0.0.tar.gz")).exists();
    assertThat(release.resolve("SHA256SUMS")).exists();
    assertThat(release.resolve(DevSigstore.TRUSTED_ROOT_FILE)).exists();
    assertThat(release.resolve(DevSigstore.TRUST_CONFIG_FILE)).exists();
    assertThat(sample.output()).contains("done      sign")
        .contains("7 bundle(s), verified as " + DevSigstore.localIdentity());
  }
}
