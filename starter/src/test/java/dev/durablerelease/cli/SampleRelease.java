package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.testing.SampleRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.util.FileUtils;

/**
 * The sample, released once per test JVM by the README's command ({@code examples/hello/release-sample.sh}, the
 * {@code ./release} launcher, the packaged jar, the embedded Temporal server, in a process of its own), for every test
 * that judges what a release publishes. Tests that change files change a {@link #copyTo copy}.
 */
final class SampleRelease {
  private static SampleRelease made;

  private final Path root;
  private final int exit;
  private final String output;

  private SampleRelease(Path root, int exit, String output) {
    this.root = root;
    this.exit = exit;
    this.output = output;
  }

  /** The release, made on first use into {@code target/sample-release} (kept there to look at after a failure). */
  static synchronized SampleRelease get() throws IOException, InterruptedException {
    if (made == null) {
      Path root = Path.of("target", "sample-release").toAbsolutePath();
      FileUtils.delete(root.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
      Path script = SampleRepository.projectFolder().getParent().resolve("release-sample.sh");
      ProcessBuilder pb = new ProcessBuilder(script.toString(), root.toString()).redirectErrorStream(true);
      pb.environment().remove("TEMPORAL_ADDRESS");
      Process process = pb.start();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the sample release ends").isTrue();
      made = new SampleRelease(root, process.exitValue(), output);
    }
    return made;
  }

  int exit() {
    return exit;
  }

  /** What the README's command printed. */
  String output() {
    return output;
  }

  /** The published release folder; fails the calling test when the release did not succeed. */
  Path folder() {
    assertThat(exit).as("the sample release failed:%n%s", output).isZero();
    return root.resolve("release");
  }

  /** A copy of the release folder at {@code dir}, to change. */
  Path copyTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(folder())) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, dir.resolve(file.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return dir;
  }
}
