package dev.durablerelease.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A worker that is not root (here: nobody) can make neither control groups nor work disks, yet still caps a
 * command's processes: the limit counts the command's own processes, not every process of the worker's user.
 */
class NonRootWorkerTest {
  private static final String TWELVE_SLEEPS = "for i in $(seq 12); do sleep 1 & done; wait; echo twelve";
  private static final String FORTY_SLEEPS = "for i in $(seq 40); do sleep 1 & done; wait; echo forty";

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sandboxed", "unsandboxed"})
  void aNonRootWorkerCapsTheProcessesOfEachCommand(String isolation) throws Exception {
    assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "becomes nobody from root");
    Path classes = readableCopyOfTheProjectsClasses();
    // nobody already runs 30 other processes (and the worker JVM's threads): a limit of 20 per command still fits 12
    Process others = asNobody(List.of("sh", "-c", "for i in $(seq 30); do sleep 60 & done; wait"));
    try {
      List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
          "-XX:-UsePerfData", "-Xmx64m", "-cp", classes.toString(), NonRootWorker.class.getName(), isolation, "20",
          TWELVE_SLEEPS, FORTY_SLEEPS));
      Process worker = asNobody(argv);
      String output = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(output.lines()).as(output).containsExactly(
          "whole tree: false, disk per command: false",
          "exit 0, limit: null, log: twelve",
          "exit 2, limit: the process limit of 20 (the log shows fork failing), log: sh: 0: Cannot fork");
    } finally {
      others.descendants().forEach(ProcessHandle::destroyForcibly);
      others.destroyForcibly().waitFor();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sandboxed", "unsandboxed"})
  void aNonRootWorkerWhereNoUserNamespaceCanBeMadeRefusesSayingWhy(String isolation) throws Exception {
    assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "becomes nobody from root");
    Path classes = readableCopyOfTheProjectsClasses();
    // a user namespace of the test's own that allows no user namespace inside it: the host's setting stays as it is
    String java = String.join(" ", ProcessHandle.current().info().command().orElseThrow(), "-XX:-UsePerfData",
        "-Xmx64m", "-cp", classes.toString(), NonRootWorker.class.getName(), isolation, "20", "true");
    Process worker = asNobody(List.of("unshare", "--user", "--map-current-user", "--keep-caps", "sh", "-c",
        "echo 0 > /proc/sys/user/max_user_namespaces && exec setpriv --inh-caps=-all --ambient-caps=-all " + java));
    String output = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
    boolean sandboxed = isolation.equals("sandboxed");
    assertThat(output).startsWith("refused: this worker cannot run project code: " + (sandboxed
        ? "bubblewrap does not start here (exit status 1: bwrap: Creating new namespace failed: nesting depth or"
            + " /proc/sys/user/max_*_namespaces exceeded (ENOSPC)"
        : "its commands do not start with their limits in force (exit status 1: unshare: unshare failed: No space"
            + " left on device)")).contains("allow unprivileged user namespaces");
  }

  /** Starts {@code argv} as nobody, output and errors merged. */
  private static Process asNobody(List<String> argv) throws IOException {
    List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        "--inh-caps=-all"));
    all.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(all).redirectErrorStream(true).directory(Path.of("/").toFile());
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return builder.start();
  }

  /**
   * The project's own classes (the command runner and the spec records it reads), copied where nobody may read them:
   * the checkout, and Maven's repository for the rest, may be closed to other users. The runner needs nothing else.
   */
  private Path readableCopyOfTheProjectsClasses() throws IOException {
    Path classes = Files.createDirectory(tmp.resolve("classes"));
    for (String entry : System.getProperty("java.class.path").split(":")) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path.resolve("dev/durablerelease"))) {
        copyTree(path, classes);
      }
    }
    try (Stream<Path> walk = Files.walk(tmp)) {
      for (Path p : walk.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
            : "rw-r--r--"));
      }
    }
    return classes;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
