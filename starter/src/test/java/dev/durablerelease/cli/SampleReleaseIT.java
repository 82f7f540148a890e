package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.testing.SampleRepository;
import java.nio.file.Path;
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
    assertThat(manifest.get("commit").asText()).isEqualTo("ac49676ef2b63d3f689c760c06ef09567a3eafb0");
    assertThat(tmp.resolve("release/hello-1.0.0.tar.gz")).exists();
    assertThat(tmp.resolve("release/SHA256SUMS")).exists();
  }
}
