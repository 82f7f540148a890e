package dev.durablerelease.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The machine's own tools (GNU tar, unzip, gzip, xz, git) run by tests that check our output with them. */
public final class Tools {
  private Tools() {}

  /** Runs the command in {@code dir}, asserts it exits 0, and returns its output (stdout and stderr). */
  public static String run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }
}
