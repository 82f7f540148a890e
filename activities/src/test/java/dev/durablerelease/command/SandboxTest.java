package dev.durablerelease.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Escape attempts, each a real command in bubblewrap, each refused. */
class SandboxTest {
  private final CommandRunner runner = CommandRunner.sandboxed();
  private RunFolder folder;
  private Path runDir;
  private Path work;

  @BeforeEach
  void setUp() throws IOException {
    runner.requireUsable();
    folder = runner.newRunFolder("sandbox-test", Limits.forTime(Duration.ofSeconds(30)));
    runDir = folder.dir();
    work = folder.work();
  }

  @AfterEach
  void tearDown() throws IOException {
    folder.close();
  }

  private CommandRunner.Result run(String command, Limits limits) throws IOException {
    return runner.run(new CommandRunner.Command(command, folder, work, work, Map.of(), limits, log()),
        (e, t, b) -> { });
  }

  private CommandRunner.Result run(String command) throws IOException {
    return run(command, Limits.forTime(Duration.ofSeconds(30)));
  }

  private Path log() {
    return runDir.resolve("command.log");
  }

  private String output() throws IOException {
    return Files.readString(log());
  }

  @Test
  void aWorkerWhereBubblewrapCannotStartRefusesSayingWhy() {
    // a host without bubblewrap, as far as the runner can tell
    CommandRunner missing = new CommandRunner(true, "/nonexistent/bwrap");
    org.assertj.core.api.Assertions.assertThatThrownBy(missing::requireUsable)
        .isInstanceOf(SandboxUnavailableException.class)
        .hasMessageContaining("this worker cannot run project code: bubblewrap does not start here")
        .hasMessageContaining("/nonexistent/bwrap: No such file or directory")
        .hasMessageContaining("apt-get install bubblewrap")
        .hasMessageContaining("--unsafe-no-sandbox");
    CommandRunner.unsandboxed().requireUsable();
  }

  @Test
  void runFoldersOfDeadWorkersAreRemovedAndLiveOnesKept() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path stale = Files.createDirectories(runner.runsRoot().resolve(gone.pid() + "-testSource-1-123/work/src"));
    runner.removeStaleRuns();
    assertThat(stale.getParent().getParent()).doesNotExist();
    assertThat(work).exists();
  }

  @Test
  void aDeadWorkersWorkDiskIsUnmountedBeforeItsRunFolderIsRemoved() throws Exception {
    assumeTrue(runner.limitsDiskPerCommand(), "work folders get disks of their own where the worker is root");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path staleRun = Files.createDirectories(runner.runsRoot().resolve(gone.pid() + "-testSource-1-456"));
    Path staleWork = Files.createDirectory(staleRun.resolve("work"));
    WorkDisk.mount(staleRun.resolve("work.img"), staleWork, 32 * Limits.MIB);
    Files.writeString(staleWork.resolve("left-behind"), "x");
    assertThat(mountedUnder(staleRun)).isTrue();

    runner.removeStaleRuns();
    assertThat(mountedUnder(staleRun)).isFalse();
    assertThat(staleRun).doesNotExist();
    assertThat(work).exists();
  }

  @Test
  void aFullWorkFolderStopsTheCommandNamingTheDiskLimitAndTakesNoMoreOfTheWorkersDisk() throws Exception {
    assumeTrue(runner.limitsDiskPerCommand(), "work folders get disks of their own where the worker is root");
    Limits limits = Limits.forTime(Duration.ofSeconds(30)).withDiskBytes(64 * Limits.MIB);
    try (RunFolder small = runner.newRunFolder("sandbox-test-disk", limits)) {
      CommandRunner.Result result = runner.run(new CommandRunner.Command("head -c 200M /dev/zero > big; echo $?; "
          + "mkdir more && head -c 1M /dev/zero > more/small; exit 1", small, small.work(), small.work(), Map.of(),
          limits, log()), (e, t, b) -> { });
      assertThat(output()).contains("No space left on device");
      assertThat(result.succeeded()).isFalse();
      assertThat(result.limit()).isEqualTo("the disk limit of 64 MiB for the work folder (full when the command"
          + " ended)");
      assertThat(Files.size(small.work().resolve("big"))).isLessThan(64 * Limits.MIB);
      // the image is all the command could take of the worker's disk
      long onDisk = (Long) Files.getAttribute(small.dir().resolve("work.img"), "unix:size");
      assertThat(onDisk).isEqualTo(64 * Limits.MIB);
      assertThat(du(small.dir())).isLessThanOrEqualTo(66 * Limits.MIB);
    }
  }

  @Test
  void sharedMemoryIsAsSmallAsTmp() throws Exception {
    CommandRunner.Result result = run("head -c 32M /dev/zero > /dev/shm/big",
        Limits.forTime(Duration.ofSeconds(30)).withTmpBytes(16 * Limits.MIB));
    assertThat(result.succeeded()).isFalse();
    assertThat(output()).contains("No space left on device");
  }

  @Test
  void aFullTmpIsNamed() throws Exception {
    assumeTrue(runner.limitsDiskPerCommand(), "told apart from a full work folder where that has a disk of its own");
    CommandRunner.Result result = run("head -c 32M /dev/zero > /tmp/big",
        Limits.forTime(Duration.ofSeconds(30)).withTmpBytes(16 * Limits.MIB));
    assertThat(result.limit()).isEqualTo("the /tmp limit of 16 MiB (the log shows no space left on a device, and the"
        + " work folder has room)");
  }

  @Test
  void aCommandIsStoppedWhenTheWorkersDiskRunsLowWhateverItWrites() throws Exception {
    assumeTrue(isRoot(), "a small disk of its own for the run folders is mounted as root");
    // the run folders on a disk of 512 MiB that keeps 128 MiB free; the command floods its log, which is the
    // worker's file (on that disk), not the command's
    withSmallRunsDisk(onSmallDisk -> {
      Limits limits = Limits.forTime(Duration.ofSeconds(60)).withDiskBytes(64 * Limits.MIB);
      try (RunFolder run = onSmallDisk.newRunFolder("sandbox-test-floor", limits)) {
        CommandRunner.Result result = onSmallDisk.run(new CommandRunner.Command(
            "for i in $(seq 50); do head -c 10M /dev/zero; sleep 0.05; done", run, run.work(), run.work(),
            Map.of(), limits, run.dir().resolve("command.log")), (e, t, b) -> { });
        assertThat(result.succeeded()).isFalse();
        assertThat(result.limit()).isEqualTo("the worker's disk running low (under 128 MiB free where run folders"
            + " are, " + onSmallDisk.runsRoot() + ")");
        assertThat(Files.getFileStore(onSmallDisk.runsRoot()).getUsableSpace()).isGreaterThan(64 * Limits.MIB);
      }
    });
  }

  @Test
  void aWorkFolderStartsOnlyWhileTheDiskCanHoldItAndEveryRunningOneFull() throws Exception {
    assumeTrue(runner.limitsDiskPerCommand(), "work folders get disks of their own where the worker is root");
    withSmallRunsDisk(onSmallDisk -> {
      Limits limits = Limits.forTime(Duration.ofSeconds(60)).withDiskBytes(200 * Limits.MIB);
      try (RunFolder first = onSmallDisk.newRunFolder("sandbox-test-first", limits)) {
        // 512 MiB less ext4's own and 128 MiB kept free: room for one work folder of 200 MiB, not two
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> onSmallDisk.newRunFolder("sandbox-test-second",
            limits)).hasMessageContaining("this worker's disk cannot hold a work folder of 200 MiB now: ")
            .hasMessageContaining("200 MiB of it promised to running commands, and 128 MiB always kept free");
      }
      onSmallDisk.newRunFolder("sandbox-test-second", limits).close();
    });
  }

  /** Runs {@code body} with a sandboxed runner whose run folders are on a disk of 512 MiB keeping 128 MiB free. */
  private void withSmallRunsDisk(ThrowingConsumer<CommandRunner> body) throws Exception {
    Path small = Files.createTempDirectory("sandbox-test-small-disk-");
    Files.setPosixFilePermissions(small, PosixFilePermissions.fromString("rwx--x--x")); // for the sandbox user
    Path runs = Files.createDirectory(small.resolve("runs"));
    WorkDisk.mount(small.resolve("disk.img"), runs, 512 * Limits.MIB);
    try {
      body.accept(new CommandRunner(true, "bwrap", runs, 128 * Limits.MIB));
    } finally {
      WorkDisk.unmount(runs);
      RunFolders.deleteTree(small);
    }
  }

  private interface ThrowingConsumer<T> {
    void accept(T value) throws Exception;
  }

  @Test
  void networkIsRefusedOnLoopbackAndOutside() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(1000);
      CommandRunner.Result result = run("bash -c 'echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "'; "
          + "bash -c 'echo hi > /dev/tcp/1.1.1.1/80'; tail -n +3 /proc/net/dev | cut -d: -f1 | sed 's/^ */if=/'");
      assertThat(output()).contains("/dev/tcp/127.0.0.1/" + server.getLocalPort() + ": Connection refused")
          .contains("/dev/tcp/1.1.1.1/80: Network is unreachable");
      assertThat(output().lines().filter(l -> l.startsWith("if="))).as("network interfaces").containsExactly("if=lo");
      assertThat(result.succeeded()).isTrue();
      boolean accepted;
      try (var socket = server.accept()) {
        accepted = true;
      } catch (SocketTimeoutException e) {
        accepted = false;
      }
      assertThat(accepted).as("the listening port outside the sandbox got a connection").isFalse();
    }
  }

  @Test
  void writingOutsideTheWorkFolderIsRefused() throws Exception {
    // a folder anyone may write to, so that only the sandbox stands in the way
    Path outside = Files.createTempDirectory(Path.of("/tmp"), "sandbox-outside-");
    try {
      Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxrwxrwx"));
      String hostTmpName = "sandbox-escape-" + ThreadLocalRandom.current().nextLong(1L << 40);
      run("echo x > " + outside + "/escaped; echo x > /usr/escaped; echo x > /etc/escaped; echo x > /tmp/"
          + hostTmpName + "; echo x > inside");
      assertThat(output()).contains("/usr/escaped: Read-only file system").contains("/etc/escaped: Read-only");
      try (var files = Files.list(outside)) {
        assertThat(files).isEmpty();
      }
      assertThat(Path.of("/usr/escaped")).doesNotExist();
      assertThat(Path.of("/etc/escaped")).doesNotExist();
      assertThat(Path.of("/tmp", hostTmpName)).as("the sandbox's /tmp is its own").doesNotExist();
      assertThat(work.resolve("inside")).hasContent("x");
    } finally {
      Files.deleteIfExists(outside.resolve("escaped"));
      Files.delete(outside);
    }
  }

  @Test
  void aFileInTheWorkersHomeCannotBeRead() throws Exception {
    Path home = Path.of(System.getProperty("user.home"));
    Path secret = home.resolve(".sandbox-test-secret-" + ThreadLocalRandom.current().nextLong(1L << 40));
    Files.writeString(secret, "worker-secret-value");
    try {
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
      run("cat " + secret + "; ls -a " + home + "; echo HOME=$HOME");
      assertThat(output()).doesNotContain("worker-secret-value")
          .contains(secret + ": No such file or directory")
          .contains("ls: cannot access '" + home + "': No such file or directory").contains("HOME=/build");
    } finally {
      Files.delete(secret);
    }
  }

  @Test
  void environmentHoldsOnlyTheAllowedVariables() throws Exception {
    runner.run(new CommandRunner.Command("env", folder, work, work, Map.of("CFLAGS", "-O1"),
        Limits.forTime(Duration.ofSeconds(30)), log()), (e, t, b) -> { });
    assertThat(output().lines()).containsExactlyInAnyOrder("CFLAGS=-O1", "HOME=/build",
        "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "PWD=/build");
  }

  @Test
  void aForkBombIsHeldAtTheProcessLimitAndLeavesNoSurvivors() throws Exception {
    String marker = marker();
    CommandRunner.Result result = run("bomb() { bomb | bomb & }; bomb; sleep " + marker + "; wait",
        Limits.forTime(Duration.ofSeconds(3)).withProcesses(64));
    // held at 64 processes, the bomb either burns out by itself (its forks failing) or is killed at the time limit
    assertThat(result.millis()).isLessThan(10_000);
    assertThat(output()).contains("Cannot fork");
    assertThat(survivors(marker)).isEmpty();
  }

  @Test
  void aMemoryHogIsStoppedByTheMemoryLimit() throws Exception {
    // tail keeps the current line in memory, and /dev/zero has no line ends
    CommandRunner.Result result = run("tail /dev/zero",
        Limits.forTime(Duration.ofSeconds(30)).withMemoryBytes(128L * 1024 * 1024));
    assertThat(result.millis()).isLessThan(10_000);
    assertThat(result.limit()).isEqualTo("the memory limit of 128 MiB per process (the log shows memory running out)");
  }

  @Test
  void theMemoryLimitHoldsForTheWholeTreeNotOnlyPerProcess() throws Exception {
    assumeTrue(runner.limitsWholeTree(), "control groups are made where the worker is root and may make them");
    // three processes of 100 MiB each (tail -c keeps that much of a pipe in memory), each under a 200 MiB cap
    String holds100MiB = "(head -c 100M /dev/zero; sleep 2) | tail -c 100M > /dev/null";
    CommandRunner.Result result = run(holds100MiB + " & a=$!; " + holds100MiB + " & b=$!; " + holds100MiB
        + " & c=$!; wait $a && wait $b && wait $c", Limits.forTime(Duration.ofSeconds(30))
        .withMemoryBytes(200L * 1024 * 1024));
    assertThat(result.succeeded()).isFalse();
    assertThat(result.limit()).startsWith("the memory limit of 200 MiB for the whole command (the kernel killed ");

    // the same three under a cap that fits them
    assertThat(run(holds100MiB + " & " + holds100MiB + " & " + holds100MiB + " & wait",
        Limits.forTime(Duration.ofSeconds(30)).withMemoryBytes(512L * 1024 * 1024)).succeeded()).isTrue();
  }

  @Test
  void theProcessLimitCountsOnlyTheCommandsOwnProcessesAndIsNamed() throws Exception {
    assumeTrue(runner.limitsWholeTree(), "control groups are made where the worker is root and may make them");
    String twelveSleeps = "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done; wait";
    Limits twenty = Limits.forTime(Duration.ofSeconds(30)).withProcesses(20);
    // two commands at once, 15 processes each with the sandbox's own: both fit, though nobody then has 30
    try (RunFolder otherRun = runner.newRunFolder("sandbox-test-2", twenty)) {
      Path otherWork = otherRun.work();
      CompletableFuture<CommandRunner.Result> other = CompletableFuture.supplyAsync(() -> {
        try {
          return runner.run(new CommandRunner.Command(twelveSleeps, otherRun, otherWork, otherWork, Map.of(), twenty,
              otherRun.dir().resolve("command.log")), (e, t, b) -> { });
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(run(twelveSleeps, twenty).succeeded()).isTrue();
      assertThat(other.get(30, java.util.concurrent.TimeUnit.SECONDS).succeeded()).isTrue();
    }

    CommandRunner.Result result = run(twelveSleeps, Limits.forTime(Duration.ofSeconds(30)).withProcesses(8));
    assertThat(result.succeeded()).isFalse();
    assertThat(output()).contains("Cannot fork");
    assertThat(result.limit()).matches("the process limit of 8 for the whole command \\(\\d+ forks? refused\\)");
  }

  @Test
  void aDaemonThatLeftTheCommandDoesNotOutliveItsRunEvenUnsandboxed() throws Exception {
    CommandRunner unsandboxed = CommandRunner.unsandboxed();
    assumeTrue(unsandboxed.limitsWholeTree(), "control groups are made where the worker is root and may make them");
    String marker = marker();
    // double fork: the daemon's parent exits at once, so it is no descendant of the command any more
    CommandRunner.Result result = unsandboxed.run(new CommandRunner.Command("(setsid sleep " + marker
        + " > /dev/null 2>&1 &); echo started", folder, work, work, Map.of(), Limits.forTime(Duration.ofSeconds(30)),
        log()), (e, t, b) -> { });
    assertThat(result.succeeded()).isTrue();
    assertThat(output()).isEqualTo("started\n");
    assertThat(survivors(marker)).isEmpty();
  }

  @Test
  void controlGroupsOfDeadWorkersAreRemovedWithWhatRunsInThem() throws Exception {
    assumeTrue(runner.limitsWholeTree(), "control groups are made where the worker is root and may make them");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String marker = marker();
    List<Path> groups = new java.util.ArrayList<>();
    for (Path parent : ControlGroups.parents().orElseThrow()) {
      groups.add(Files.createDirectory(parent.resolve(ControlGroups.PREFIX + gone.pid() + "-1")));
    }
    // a process of the dead worker's run, left behind in its groups
    Process left = new ProcessBuilder("sh", "-c", "echo $$ > " + groups.get(0).resolve("cgroup.procs")
        + " && echo $$ > " + groups.get(1).resolve("cgroup.procs") + " && exec sleep " + marker).start();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (Files.readString(groups.get(1).resolve("cgroup.procs")).isBlank() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(survivors(marker)).hasSize(1);

    runner.removeStaleRuns();
    assertThat(left.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(groups).allSatisfy(group -> assertThat(group).doesNotExist());
  }

  @Test
  void cpuAndFileSizeLimitsSayWhichLimitStoppedTheCommand() throws Exception {
    CommandRunner.Result spin = run("while :; do :; done",
        Limits.forTime(Duration.ofSeconds(30)).withCpu(Duration.ofSeconds(1)));
    assertThat(spin.exitCode()).isEqualTo(128 + 24);
    assertThat(spin.limit()).isEqualTo("the CPU time limit of 1 s per process");

    CommandRunner.Result big = run("head -c 2000000 /dev/zero > big",
        Limits.forTime(Duration.ofSeconds(30)).withFileBytes(1024 * 1024));
    assertThat(big.limit()).isEqualTo("the file size limit of 1 MiB");
    assertThat(Files.size(work.resolve("big"))).isEqualTo(1024 * 1024);
  }

  @Test
  void aCommandIgnoringSigtermIsKilledAtTheTimeLimitWithItsBackgroundChildren() throws Exception {
    String marker = marker();
    AtomicBoolean seenRunning = new AtomicBoolean();
    long deadline = System.nanoTime() + 5_000_000_000L;
    CompletableFuture<Void> watch = CompletableFuture.runAsync(() -> {
      while (!seenRunning.get() && System.nanoTime() < deadline) {
        seenRunning.set(survivors(marker).size() >= 3);
        Thread.onSpinWait();
      }
    });
    CommandRunner.Result result = run("trap '' TERM; (trap '' TERM; sleep " + marker + ") & "
        + "setsid sleep " + marker + " & sleep " + marker, Limits.forTime(Duration.ofSeconds(2)));
    watch.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(seenRunning).as("the command's processes were seen running").isTrue();
    assertThat(result.timedOut()).isTrue();
    assertThat(result.limit()).isEqualTo("the time limit of 2 s");
    assertThat(result.millis()).isBetween(2000L, 4000L);
    assertThat(survivors(marker)).isEmpty();
  }

  @Test
  void cancellingThroughProgressKillsTheTree() throws Exception {
    String marker = marker();
    long start = System.nanoTime();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.run(new CommandRunner.Command(
        "echo started; sleep " + marker, folder, work, work, Map.of(), Limits.forTime(Duration.ofMinutes(1)), log()),
        (elapsed, tail, bytes) -> {
          assertThat(tail).isEqualTo("started");
          assertThat(bytes).isEqualTo(8);
          throw new IllegalStateException("cancelled");
        })).hasMessage("cancelled");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
    assertThat(survivors(marker)).isEmpty();
  }

  /** A sleep duration unique to one test, so its processes can be found by their command line. */
  private static String marker() {
    return "300." + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
  }

  /** Live processes with the marker in their command line (killed ones that linger as zombies have none). */
  static List<ProcessHandle> survivors(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .filter(p -> !p.equals(ProcessHandle.current()))
        .toList();
  }

  /** Whether a file system is mounted at or under {@code dir}. */
  private static boolean mountedUnder(Path dir) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
        .map(line -> Path.of(line.split(" ")[1]))
        .anyMatch(mountPoint -> mountPoint.startsWith(dir));
  }

  /** Disk space the files under {@code dir} take on its own file system, as du counts it. */
  private static long du(Path dir) throws Exception {
    Process du = new ProcessBuilder("du", "-s", "-x", "-B1", dir.toString()).start();
    String out = new String(du.getInputStream().readAllBytes());
    assertThat(du.waitFor()).isZero();
    return Long.parseLong(out.split("\\s+")[0]);
  }

  private static boolean isRoot() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
  }
}
