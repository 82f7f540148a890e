package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./release} launcher's class-data archive: made once per build from {@code starter/class-list.txt}, by
 * one process while others wait, mapped by every start after it, made again for a newer jar, and, when it cannot be
 * made, said once while the CLI runs on without it; an install its user cannot write starts without it. Each test
 * runs a copy of the launcher beside the packaged jar in a folder of its own, so that it controls the class list and
 * the archive. Runs after {@code package}.
 */
class ClassDataArchiveIT {
  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
  private static final String MAKING = "making durable-release's class-data archive (once per build)";

  @TempDir
  Path root;

  @Test
  void oneProcessMakesTheArchiveAndEveryStartAfterItMapsIt() throws Exception {
    Path launcher = launcherWith(List.of("java/lang/Object", "dev/durablerelease/cli/ReleaseCli"));

    Process first = start(launcher, Map.of(), "--version");
    Process second = start(launcher, Map.of(), "--version");
    Result a = finish(first);
    Result b = finish(second);
    assertThat(List.of(a, b)).allSatisfy(r -> assertThat(r.exit()).as(r.output()).isZero())
        .allSatisfy(r -> assertThat(r.output()).contains("durable-release "));
    assertThat(count(a.output() + b.output(), MAKING)).as(a.output() + b.output()).isEqualTo(1);

    Path classes = root.resolve("classes.log");
    Result mapped = finish(start(launcher,
        Map.of("DURABLE_RELEASE_JAVA_OPTS", "-Xlog:class+load:file=" + classes), "--version"));
    assertThat(mapped.output()).doesNotContain(MAKING);
    assertThat(Files.readString(classes))
        .containsPattern("dev\\.durablerelease\\.cli\\.ReleaseCli source: shared objects file");

    // a rebuilt jar: the archive of the old one would be refused by the JVM, so it is made again
    Files.setLastModifiedTime(root.resolve("starter/target/durable-release.jar"), FileTime.from(Instant.now()));
    assertThat(finish(start(launcher, Map.of(), "--version")).output()).contains(MAKING);
  }

  @Test
  void anArchiveThatCannotBeMadeIsSaidOnceAndTheCliRunsWithoutIt() throws Exception {
    Path launcher = launcherWith(null); // no class list: the JVM refuses to dump

    Result refused = finish(start(launcher, Map.of(), "--version"));
    assertThat(refused.exit()).as(refused.output()).isZero();
    assertThat(refused.output()).contains("durable-release ")
        .contains("warning: no class-data archive (see " + root.resolve("starter/target/durable-release.jsa.log")
            + "); durable-release starts without it, slower");

    Result again = finish(start(launcher, Map.of(), "--version"));
    assertThat(again.exit()).isZero();
    assertThat(again.output()).contains("durable-release ").doesNotContain("warning").doesNotContain(MAKING);
  }

  @Test
  void anInstallTheUserCannotWriteStartsWithoutTheArchive() throws Exception {
    assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "becomes nobody from root");
    Path launcher = launcherWith(List.of("java/lang/Object", "dev/durablerelease/cli/ReleaseCli"));
    // nobody must read the libraries too, wherever the repository lies (a clone in `mktemp -d` is root's alone)
    Path lib = root.resolve("starter/target/lib");
    Files.delete(lib);
    Files.createDirectory(lib);
    try (Stream<Path> jars = Files.list(REPOSITORY.resolve("starter/target/lib"))) {
      for (Path jar : (Iterable<Path>) jars::iterator) {
        Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
            Files.isDirectory(file) || Files.isExecutable(file) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }

    Process asNobody = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        "--inh-caps=-all", launcher.toString(), "--version").redirectErrorStream(true).start();
    Result result = finish(asNobody);

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("durable-release ").doesNotContain(MAKING).doesNotContain("warning");
    assertThat(root.resolve("starter/target/durable-release.jsa")).doesNotExist();
  }

  @Test
  void theRecordedClassListNamesOnlyClassesThatExist() throws IOException {
    List<String> ours = Files.readAllLines(REPOSITORY.resolve("starter/class-list.txt")).stream()
        .filter(line -> line.startsWith("dev/durablerelease/")).toList();
    assertThat(ours).as("our classes in starter/class-list.txt").hasSizeGreaterThan(200);
    List<String> missing = new ArrayList<>(ours);
    try (Stream<Path> jars = Files.list(REPOSITORY.resolve("starter/target/lib"))) {
      for (Path jar : Stream.concat(jars, Stream.of(REPOSITORY.resolve("starter/target/durable-release.jar")))
          .toList()) {
        try (JarFile file = new JarFile(jar.toFile())) {
          missing.removeIf(name -> file.getEntry(name + ".class") != null);
        }
      }
    }
    assertThat(missing).as("classes starter/class-list.txt names that the build no longer has: record the list"
        + " again with bench/record-class-list.sh").isEmpty();
  }

  /** A copy of the launcher beside the packaged jar (older sources, so it does not build), with this class list. */
  private Path launcherWith(List<String> classList) throws IOException {
    FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
    for (Path source : List.of(Files.writeString(root.resolve("pom.xml"), ""),
        Files.writeString(Files.createDirectories(root.resolve("starter")).resolve("pom.xml"), ""),
        Files.createDirectories(root.resolve("starter/src/main")))) {
      Files.setLastModifiedTime(source, anHourAgo);
    }
    if (classList != null) {
      Files.write(root.resolve("starter/class-list.txt"), classList);
    }
    Path launcher = Files.copy(REPOSITORY.resolve("release"), root.resolve("release"));
    launcher.toFile().setExecutable(true);
    Path target = Files.createDirectories(root.resolve("starter/target"));
    Files.createSymbolicLink(target.resolve("lib"), REPOSITORY.resolve("starter/target/lib"));
    Files.copy(REPOSITORY.resolve("starter/target/durable-release.jar"), target.resolve("durable-release.jar"));
    return launcher;
  }

  private static Process start(Path launcher, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("DURABLE_RELEASE_JAVA_OPTS");
    pb.environment().putAll(env);
    return pb.start();
  }

  private static Result finish(Process process) throws IOException, InterruptedException {
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  private record Result(int exit, String output) {}
}
