package dev.durablerelease.cli;

import dev.durablerelease.worker.DevServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tools the real-Temporal tests need beyond Java: the Temporal CLI and Debian's chromium, which {@code .ci/run}
 * installs. Where they are missing the tests are skipped on a developer's machine, and fail where CI or
 * DURABLE_RELEASE_REQUIRE_TOOLS is set, so that a missing tool never passes for a green run.
 */
final class RequiredTools {
  private RequiredTools() {}

  /** Whether the {@code temporal} binary is on the PATH (so {@code release run} uses its dev server). */
  static boolean hasTemporal() {
    return DevServer.locate(null, Map.of("PATH", System.getenv().getOrDefault("PATH", ""))).isPresent();
  }

  /** The {@code temporal} binary on the PATH. */
  static Path temporal() {
    Path cli = DevServer.locate(null, Map.of("PATH", System.getenv().getOrDefault("PATH", ""))).orElse(null);
    require(cli != null, "the Temporal CLI (`temporal` on the PATH; .ci/run installs it with go install into"
        + " $(go env GOPATH)/bin)");
    return cli;
  }

  /** Debian's chromium, and playwright-core (from starter/src/test/node's lock file) to drive it. */
  static Path chromium() {
    Path chromium = Path.of("/usr/bin/chromium");
    require(Files.isExecutable(chromium), "Debian's chromium (apt-get install chromium; .ci/run installs it)");
    require(Files.isDirectory(nodeTools().resolve("node_modules/playwright-core")),
        "playwright-core (npm ci --prefix starter/src/test/node; .ci/run runs it)");
    return chromium;
  }

  /** starter/src/test/node: the Node tools of the tests. */
  static Path nodeTools() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("starter/src/test/node"))) {
      dir = dir.getParent();
    }
    Assertions.assertNotNull(dir, "starter/src/test/node not found above " + Path.of("").toAbsolutePath());
    return dir.resolve("starter/src/test/node");
  }

  private static void require(boolean present, String what) {
    if (present) {
      return;
    }
    String env = System.getenv("CI") != null ? "CI" : System.getenv("DURABLE_RELEASE_REQUIRE_TOOLS") != null
        ? "DURABLE_RELEASE_REQUIRE_TOOLS" : null;
    if (env != null) {
      Assertions.fail("missing " + what + ", and " + env + " is set: this test must run here, not be skipped");
    }
    Assumptions.abort("skipped: missing " + what);
  }
}
