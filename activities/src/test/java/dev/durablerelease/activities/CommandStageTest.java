package dev.durablerelease.activities;

import static dev.durablerelease.testing.StageHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.archive.ArchiveUnpacker;
import dev.durablerelease.command.BrokenSandbox;
import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.config.PolicyLoader;
import dev.durablerelease.policy.Domain;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.store.Digests;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.SampleStagesTestBase;
import dev.durablerelease.testing.StageHarness;
import dev.durablerelease.contract.ArtifactRef;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandStageTest extends SampleStagesTestBase {
  private Checkout checkout;
  private Archives archives;

  @BeforeEach
  void setUp() {
    checkout = stages.source().checkout(
        new CheckoutInput(repo.url(), SampleRepository.VERSION, SampleRepository.TAG, null, null, false));
    archives = stages.source().buildSource(checkout);
  }

  private CommandInput command(String command, String timeout, Map<String, String> env, List<String> outputs) {
    return command(command, timeout, env, outputs, null);
  }

  private CommandInput command(String command, String timeout, Map<String, String> env, List<String> outputs,
      LimitsSpec limits) {
    return new CommandInput("testSource", archives.primary(), "hello-1.0.0", command, timeout, env, outputs,
        List.of("tar.gz", "zip"), "hello-1.0.0-docs", checkout.commitTime(), false, limits, "hello");
  }

  /** The files of a stored archive with their digests, unpacked by the same code the test stage uses. */
  private Map<String, String> unpackedFiles(ArtifactRef archive) throws Exception {
    Path folder = tmp.resolve("unpacked-" + archive.name());
    try (InputStream in = stages.context().store().open(archive.sha256())) {
      ArchiveUnpacker.unpack(in, folder);
    }
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(folder.relativize(file).toString(), Digests.sha256Hex(file));
      }
    }
    return files;
  }

  private String log(CommandReport report) throws Exception {
    return log(stages, report);
  }

  private static String log(StageHarness harness, CommandReport report) throws Exception {
    try (InputStream in = harness.context().store().open(report.log().sha256())) {
      return new String(in.readAllBytes());
    }
  }

  @Test
  void aWorkerWhoseSandboxBrokeFailsTheAttemptAsRetryableNamingItself() throws Exception {
    // another worker of the same host (same store) whose bubblewrap stopped working after it started
    try (StageHarness broken = new StageHarness(tmp.resolve("worker"), BrokenSandbox.runner(), "broken-worker")) {
      ApplicationFailure failure = failure(() -> broken.build().testSource(command("make test", "2m", Map.of(),
          List.of())));
      assertThat(failure.getType()).isEqualTo(Failures.SANDBOX_UNAVAILABLE);
      assertThat(failure.isNonRetryable()).isFalse();
      assertThat(failure.getOriginalMessage()).startsWith("broken-worker: this worker cannot run project code")
          .contains("apt-get install bubblewrap");
    }
    CommandReport report = stages.build().testSource(command("make test", "2m", Map.of(), List.of()));
    assertThat(log(report)).contains("all tests passed");
  }

  @Test
  void testsRunOnTheUnpackedArchiveAndTheLogIsStored() throws Exception {
    CommandReport report = stages.build().testSource(command("make test", "2m", Map.of(), List.of()));
    assertThat(log(report)).contains("all tests passed");
    assertThat(report.log().name()).isEqualTo("hello-1.0.0-testSource.log");
  }

  @Test
  void environmentHoldsOnlyWhatTheSpecAllows() throws Exception {
    CommandReport report = stages.build().testSource(command("env | sort", "1m", Map.of("CFLAGS", "-O1"), List.of()));
    List<String> names = log(report).lines().map(l -> l.substring(0, l.indexOf('='))).toList();
    assertThat(names).containsExactlyInAnyOrder("CFLAGS", "HOME", "LANG", "PATH", "PWD");
  }

  @Test
  void failingCommandReportsExitStatusAndLogTail() {
    ApplicationFailure f = failure(() -> stages.build().testSource(
        command("echo first; echo broken >&2; exit 3", "1m", Map.of(), List.of())));
    assertThat(f.getType()).isEqualTo(Failures.COMMAND_FAILED);
    assertThat(f.getOriginalMessage()).contains("exited with status 3").contains("first\nbroken")
        .contains("hello-1.0.0-testSource.log");
  }

  @Test
  void timeLimitKillsTheCommandAndItsBackgroundChildren() {
    ApplicationFailure f = failure(() -> stages.build().testSource(command(
        "trap '' TERM; (trap '' TERM; sleep 300) & sleep 300", "2s", Map.of(), List.of())));
    assertThat(f.getOriginalMessage()).contains("killed at the time limit of 2 s");
  }

  @Test
  void theSpecsLimitsReplaceTheDefaults() throws Exception {
    String writeTwoMib = "head -c 2097152 /dev/zero > big";
    assertThat(log(stages.build().testSource(command(writeTwoMib + " && echo wrote", "1m", Map.of(), List.of()))))
        .contains("wrote");
    ApplicationFailure f = failure(() -> stages.build().testSource(command(writeTwoMib, "1m", Map.of(), List.of(),
        new LimitsSpec(null, null, "1MiB", null, null))));
    assertThat(f.getOriginalMessage()).contains("the file size limit of 1 MiB");
  }

  @Test
  void aCommandThatFillsItsDiskIsStoppedNamingTheSpecsDiskLimit() {
    assumeTrue(stages.context().commands().limitsDiskPerCommand(), "work disks of their own need a root worker");
    ApplicationFailure f = failure(() -> stages.build().testSource(command("head -c 100M /dev/zero > big", "1m",
        Map.of(), List.of(), new LimitsSpec(null, null, null, null, "32MiB"))));
    assertThat(f.getType()).isEqualTo(Failures.COMMAND_FAILED);
    assertThat(f.getOriginalMessage()).contains("stopped by the disk limit of 32 MiB for the work folder")
        .contains("No space left on device");
  }

  @Test
  void limitsAboveTheProjectsCeilingsBlockTheStageNamingEachOneAndLowerTheDefaults() throws Exception {
    Policy policy = PolicyLoader.parse("""
        projects:
          hello:
            repositories: ["**"]
            ceilings: {memory: 2GiB, processes: 100, tmp: 64MiB, disk: 4GiB}
        """, "policy.yaml", Set.of(Domain.BUILD));
    try (StageHarness capped = new StageHarness(tmp.resolve("worker"), CommandRunner.sandboxed(), "capped-worker",
        policy)) {
      ApplicationFailure f = failure(() -> capped.build().testSource(command("make test", "1m", Map.of(), List.of(),
          new LimitsSpec("8GiB", 1000, "1GiB", "1GiB", "20GiB"))));
      assertThat(f.getType()).isEqualTo(Failures.POLICY_REFUSED);
      assertThat(f.getOriginalMessage()).contains("memory 8GiB is above the ceiling of 2GiB; processes 1000 is above"
          + " the ceiling of 100; tmp 1GiB is above the ceiling of 64MiB; disk 20GiB is above the ceiling of 4GiB;"
          + " lower test.limits in release.yaml");
      // the defaults above a ceiling are lowered to it: 64 MiB of /tmp, not 256
      CommandReport report = capped.build().testSource(command("df -k /tmp | tail -1", "1m", Map.of(), List.of()));
      assertThat(log(capped, report)).containsPattern("\\s65536\\s");
    }
  }

  @Test
  void aProjectWithoutCeilingsIsCappedByTheWorkersOwn() {
    ApplicationFailure f = failure(() -> stages.build().testSource(command("true", "1m", Map.of(), List.of(),
        new LimitsSpec("64GiB", 100000, null, null, "1TiB"))));
    assertThat(f.getType()).isEqualTo(Failures.POLICY_REFUSED);
    assertThat(f.getOriginalMessage()).contains("memory 64GiB is above the ceiling of 16GiB; processes 100000 is"
        + " above the ceiling of 4096; disk 1TiB is above the ceiling of 64GiB");
  }

  @Test
  void docsCommandCannotSeeTheTestCommandsFolder() throws Exception {
    // the test command leaves a file in its folder and stays running while the docs command looks for it
    CompletableFuture<CommandReport> test = CompletableFuture.supplyAsync(() -> stages.build().testSource(
        command("echo test-stage-secret > secret.txt; sleep 4", "1m", Map.of(), List.of())));
    Path runs = stages.context().commands().runsRoot();
    Path[] secret = new Path[1];
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (secret[0] == null && System.nanoTime() < deadline) {
      try (Stream<Path> found = Files.find(runs, 5, (p, a) -> p.getFileName().toString().equals("secret.txt"))) {
        secret[0] = found.findFirst().orElse(null);
      } catch (java.io.UncheckedIOException e) {
        // another run's folder went away while it was listed
      }
      Thread.sleep(50);
    }
    assertThat(secret[0]).as("the test command's file").isNotNull();

    CommandReport docs = stages.docs().buildDocs(command("cat " + secret[0] + "; ls " + runs + "; "
        + "find / -path /usr -prune -o -path /proc -prune -o -name secret.txt -print 2>/dev/null; echo searched; "
        + "mkdir -p docs/_build/html", "1m", Map.of(),
        List.of("docs/_build/html")));
    assertThat(log(docs)).contains(secret[0] + ": No such file or directory")
        .contains("ls: cannot access '" + runs + "': No such file or directory")
        .doesNotContain("test-stage-secret").doesNotContain("secret.txt\n").contains("searched");
    assertThat(log(test.get(1, TimeUnit.MINUTES))).isEmpty();
  }

  @Test
  void docsOutputsNeverCarryAWayToTheHost() throws Exception {
    // the review's attack: links to the host's secrets, written by the docs command into its output
    String html = "mkdir -p docs/_build/html && cd docs/_build/html && echo page > index.html && ";
    assertThat(refusedDocs(html + "ln -s /etc/shadow shadow"))
        .contains("docs output docs/_build/html cannot be published: symlink shadow points to /etc/shadow");
    assertThat(refusedDocs(html + "ln -s ../../../../root/.ssh/id_ed25519 key"))
        .contains("symlink key points to ../../../../root/.ssh/id_ed25519, outside the folder");
    assertThat(refusedDocs(html + "ln -s . up && ln -s up/up/../../../../Makefile mk"))
        .contains("symlink mk points to up/up/../../../../Makefile").contains("through up -> .");
    assertThat(refusedDocs(html + "ln ../../../Makefile Makefile"))
        .contains("Makefile is a hard link (one of 2 names of the same file");
    assertThat(refusedDocs(html + "mkfifo pipe")).contains("pipe is a fifo, not a file, folder or link");
    assertThat(refusedDocs(html + "python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"sock\")'"))
        .contains("sock is a socket");

    // links that stay inside the output are kept as links
    CommandReport docs = stages.docs().buildDocs(command(html + "mkdir api && ln -s ../index.html api/start.html",
        "1m", Map.of(), List.of("docs/_build/html")));
    assertThat(unpackedFiles(docs.outputs().get(0))).containsKeys("hello-1.0.0-docs-html/index.html");
    Path unpacked = tmp.resolve("unpacked-" + docs.outputs().get(0).name());
    assertThat(Files.readSymbolicLink(unpacked.resolve("hello-1.0.0-docs-html/api/start.html")))
        .isEqualTo(Path.of("../index.html"));
  }

  private String refusedDocs(String command) {
    ApplicationFailure f = failure(() -> stages.docs().buildDocs(
        command(command, "1m", Map.of(), List.of("docs/_build/html"))));
    assertThat(f.getType()).isEqualTo(Failures.COMMAND_FAILED);
    assertThat(f.isNonRetryable()).isTrue();
    return f.getOriginalMessage();
  }

  @Test
  void docsOutputsAreArchivedAndAMissingOutputIsAClearError() throws Exception {
    CommandReport docs = stages.docs().buildDocs(command("make docs", "1m", Map.of(), List.of("docs/_build/html")));
    assertThat(docs.outputs()).extracting(ArtifactRef::name)
        .containsExactly("hello-1.0.0-docs-html.tar.gz", "hello-1.0.0-docs-html.zip");
    assertThat(unpackedFiles(docs.outputs().get(1))).isNotEmpty().isEqualTo(unpackedFiles(docs.outputs().get(0)));
    ApplicationFailure f = failure(() -> stages.docs().buildDocs(
        command("true", "1m", Map.of(), List.of("docs/_build/html"))));
    assertThat(f.getType()).isEqualTo(Failures.COMMAND_FAILED);
    assertThat(f.getOriginalMessage()).contains("docs output folder docs/_build/html was not produced by `true`");
  }
}
