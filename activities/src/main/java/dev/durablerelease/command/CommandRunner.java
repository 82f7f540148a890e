package dev.durablerelease.command;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs project code (tests, docs), which the engine does not trust. Sandboxed, the command runs in bubblewrap with
 * new PID, network, IPC, UTS and user namespaces (only its own loopback), read-only system folders, its work folder as
 * the only writable bind, a private size-capped /tmp and an environment of only the allowed variables; under
 * {@code prlimit} caps per process and, where the worker may make them (as root), {@link ControlGroups} capping the
 * memory and processes of the whole tree; as nobody when the worker is root. Output goes to a log file; progress is
 * reported while it runs; the wall-clock limit, or the caller giving up, kills the whole process tree.
 *
 * <p>Unsandboxed ({@code --unsafe-no-sandbox}) keeps the clean environment, the caps and the time limit, but the
 * command sees the host's file system and network.
 */
public final class CommandRunner {
  /** How often a running command reports progress (the activity heartbeats with it). */
  static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);
  /** Isolation names as release.json and the provenance record them. */
  public static final String BUBBLEWRAP = "bubblewrap";
  public static final String NONE = "none";

  private static final String PATH = "/usr/local/bin:/usr/bin:/bin";
  /** The sandbox tools are looked up here, never in the worker's own PATH. */
  private static final String HOST_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
  /** nobody owns nothing on the host: a command running as nobody reads only what everyone may read. */
  private static final int NOBODY = 65534;
  /** Where a sandboxed command sees its work folder. */
  private static final String SANDBOX_WORK = "/build";
  private static final Pattern OUT_OF_MEMORY = Pattern.compile(
      "(?i)memory exhausted|cannot allocate memory|out of memory|OutOfMemoryError|MemoryError|bad_alloc");
  private static final Pattern FORK_FAILED = Pattern.compile(
      "(?i)cannot fork|fork: (retry|resource temporarily unavailable)|unable to create native thread");

  private static final AtomicLong RUNS = new AtomicLong();

  private final boolean sandboxed;
  private final boolean root;
  private final Path runsRoot;
  /** Where each run's control groups are made; empty where this worker may not make them. */
  private final Optional<List<Path>> controlGroups;
  private volatile Optional<String> problem;

  private final String bwrap;

  CommandRunner(boolean sandboxed, String bwrap) {
    this.sandboxed = sandboxed;
    this.bwrap = bwrap;
    this.root = currentUid() == 0;
    // not under the worker's home: nobody must be able to reach the run folders, and homes are often closed
    this.runsRoot = Path.of(System.getProperty("java.io.tmpdir"), "durable-release-runs-" + currentUid());
    this.controlGroups = root ? ControlGroups.parents() : Optional.empty();
  }

  /** Runs commands in bubblewrap; {@link #requireUsable()} says whether it starts on this host. */
  public static CommandRunner sandboxed() {
    return new CommandRunner(true, "bwrap");
  }

  /** Runs commands without bubblewrap: only for hosts and projects one trusts ({@code --unsafe-no-sandbox}). */
  public static CommandRunner unsandboxed() {
    return new CommandRunner(false, "bwrap");
  }

  /** {@value #BUBBLEWRAP} or {@value #NONE}: how this runner isolates commands. */
  public String isolation() {
    return sandboxed ? BUBBLEWRAP : NONE;
  }

  /**
   * Throws, saying why, when this runner is to sandbox commands but bubblewrap cannot start here (checked once, by
   * starting a sandbox exactly as a command would).
   */
  public void requireUsable() {
    if (!sandboxed) {
      return;
    }
    if (problem == null) {
      problem = probe();
    }
    problem.ifPresent(why -> {
      throw new SandboxUnavailableException("this worker cannot run project code: bubblewrap does not start here ("
          + why + "); install bubblewrap (apt-get install bubblewrap) and allow unprivileged user namespaces, or"
          + " start the worker with --unsafe-no-sandbox on a host you trust (results are then marked unsandboxed)");
    });
  }

  /** Whether the memory and process limits hold for the whole tree of a command, not only for each process. */
  public boolean limitsWholeTree() {
    return controlGroups.isPresent();
  }

  /** Where run folders are made. */
  public Path runsRoot() {
    return runsRoot;
  }

  /**
   * A new folder for one command run, that only the sandbox user and this worker can reach: its {@code work}
   * subfolder is what the command may write, the rest (the log) stays the worker's. Its name starts with this
   * process's id, so that {@link #removeStaleRuns()} knows whose it is.
   */
  public Path newRunFolder(String name) throws IOException {
    String traverseOnly = "rwx--x--x";
    Files.createDirectories(runsRoot);
    Files.setPosixFilePermissions(runsRoot, PosixFilePermissions.fromString(traverseOnly));
    Path dir = Files.createTempDirectory(runsRoot, ProcessHandle.current().pid() + "-" + name + "-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(traverseOnly));
    return dir;
  }

  /**
   * Deletes the run folders and control groups of worker processes that are gone (killed mid-command, they could not
   * clean up), killing what is left running in those groups.
   */
  public void removeStaleRuns() throws IOException {
    if (controlGroups.isPresent()) {
      ControlGroups.removeStale(controlGroups.get());
    }
    if (!Files.isDirectory(runsRoot)) {
      return;
    }
    List<Path> stale;
    try (Stream<Path> runs = Files.list(runsRoot)) {
      stale = runs.filter(dir -> !ownedByLiveProcess(dir.getFileName().toString())).toList();
    }
    for (Path dir : stale) {
      deleteTree(dir);
    }
  }

  /** Whether a name made by a worker ({@code <pid>-...}) belongs to a worker process that is still alive. */
  static boolean ownedByLiveProcess(String name) {
    String pid = name.replaceFirst("-.*", "");
    return !pid.matches("\\d+") || ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Deletes a folder and everything in it, without following links out of it. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Receives progress while the command runs; throwing from it stops the command (e.g. the release was cancelled). */
  @FunctionalInterface
  public interface Progress {
    void report(long elapsedMillis, String logTail, long logBytes);
  }

  /**
   * A command to run.
   *
   * @param command shell command line, run with {@code sh -c}
   * @param workFolder the only folder it may write (with all its content handed to the sandbox user)
   * @param startDir where it starts, inside workFolder
   * @param home its HOME, inside workFolder
   * @param env the only variables it sees besides PATH, HOME and LANG
   * @param limits what it may use
   * @param log where its stdout and stderr go, outside workFolder
   */
  public record Command(String command, Path workFolder, Path startDir, Path home, Map<String, String> env,
      Limits limits, Path log) {}

  /**
   * How a command ended.
   *
   * @param exitCode the exit status (128+signal when killed)
   * @param timedOut whether the wall-clock limit killed it
   * @param limit the limit that stopped it, e.g. {@code the time limit of 120 s}, or null
   * @param millis how long it ran
   */
  public record Result(int exitCode, boolean timedOut, String limit, long millis) {
    public boolean succeeded() {
      return exitCode == 0 && !timedOut;
    }
  }

  public Result run(Command command, Progress progress) throws IOException {
    if (root) {
      handToNobody(command.workFolder());
    }
    ControlGroups groups = controlGroups.isEmpty() ? null : ControlGroups.create(controlGroups.get(),
        ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet(), command.limits());
    try {
      return run(command, progress, groups);
    } finally {
      if (groups != null) {
        groups.remove();
      }
    }
  }

  private Result run(Command command, Progress progress, ControlGroups groups) throws IOException {
    List<String> argv = new ArrayList<>();
    if (groups != null) {
      argv.addAll(groups.joinThenExec());
    }
    argv.addAll(argv(command));
    ProcessBuilder pb = new ProcessBuilder(argv)
        .directory(command.startDir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(command.log().toFile())
        .redirectInput(new File("/dev/null"));
    Map<String, String> environment = pb.environment();
    environment.clear();
    if (sandboxed) {
      environment.put("PATH", HOST_PATH); // bwrap --clearenv gives the command its own
    } else {
      environment.putAll(commandEnv(command, command.home().toString()));
    }

    Limits limits = command.limits();
    long start = System.nanoTime();
    Process process = pb.start();
    try {
      long nextReport = REPORT_INTERVAL.toMillis();
      while (true) {
        if (process.waitFor(250, TimeUnit.MILLISECONDS)) {
          int exit = process.exitValue();
          return new Result(exit, false, limitHit(exit, command, groups), elapsedMillis(start));
        }
        long elapsed = elapsedMillis(start);
        if (elapsed >= limits.time().toMillis()) {
          killTree(process);
          return new Result(process.exitValue(), true, "the time limit of " + seconds(limits.time()), elapsed);
        }
        if (elapsed >= nextReport) {
          progress.report(elapsed, tail(command.log(), 20), Files.size(command.log()));
          nextReport = elapsed + REPORT_INTERVAL.toMillis();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running: " + command.command(), e);
    } finally {
      if (process.isAlive()) {
        killTree(process);
      }
    }
  }

  /** setpriv (when root) → prlimit → bwrap (when sandboxed) → sh -c; setpriv and prlimit exec the next one. */
  private List<String> argv(Command command) {
    Limits limits = command.limits();
    List<String> argv = new ArrayList<>();
    if (root) {
      argv.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--inh-caps=-all"));
    }
    // CPU: SIGXCPU at the soft limit names the cause; the hard limit a little later kills a process that ignores it
    long cpu = Math.max(1, limits.cpu().toSeconds());
    argv.addAll(List.of("prlimit", "--cpu=" + cpu + ":" + (cpu + 5), "--fsize=" + limits.fileBytes(),
        "--as=" + limits.memoryBytes()));
    if (root && controlGroups.isEmpty()) {
      // RLIMIT_NPROC counts all processes of the user: meaningful for nobody, not for a developer's own account, and
      // shared by every command running as nobody at once; the control groups count only the command's own
      argv.add("--nproc=" + limits.processes());
    }
    argv.add("--");
    if (sandboxed) {
      argv.addAll(List.of(bwrap,
          "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
          "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin", "--ro-bind", "/etc", "/etc",
          "--proc", "/proc", "--dev", "/dev",
          "--size", Long.toString(limits.tmpBytes()), "--tmpfs", "/tmp",
          "--bind", command.workFolder().toString(), SANDBOX_WORK,
          "--chdir", inSandbox(command, command.startDir()),
          // keep bwrap's own PID 1: it reaps orphans, and its death takes the whole namespace down
          "--unshare-all", "--hostname", "sandbox", "--die-with-parent", "--new-session", "--clearenv"));
      commandEnv(command, inSandbox(command, command.home())).forEach((name, value) -> {
        argv.addAll(List.of("--setenv", name, value));
      });
      argv.add("--");
    }
    argv.addAll(List.of("sh", "-c", command.command()));
    return argv;
  }

  private static Map<String, String> commandEnv(Command command, String home) {
    Map<String, String> env = new java.util.TreeMap<>(command.env());
    env.put("PATH", PATH);
    env.put("HOME", home);
    env.put("LANG", "C.UTF-8");
    return env;
  }

  private static String inSandbox(Command command, Path path) {
    Path relative = command.workFolder().relativize(path);
    return relative.toString().isEmpty() ? SANDBOX_WORK : SANDBOX_WORK + "/" + relative;
  }

  /**
   * Which limit stopped a command that ended on its own: the CPU and file-size signals name theirs, the control
   * groups count what the kernel enforced on the tree, and a process's own memory and process limits show only as
   * failures in the log.
   */
  private String limitHit(int exit, Command command, ControlGroups groups) throws IOException {
    Limits limits = command.limits();
    if (exit == 128 + 24) { // SIGXCPU
      return "the CPU time limit of " + seconds(limits.cpu()) + " per process";
    }
    if (exit == 128 + 25) { // SIGXFSZ
      return "the file size limit of " + Limits.mib(limits.fileBytes());
    }
    if (exit == 0) {
      return null;
    }
    String tree = groups == null ? null : groups.limitHit(limits);
    if (tree != null) {
      return tree;
    }
    String tail = tail(command.log(), 40);
    if (OUT_OF_MEMORY.matcher(tail).find()) {
      return "the memory limit of " + Limits.mib(limits.memoryBytes()) + " per process (the log shows memory"
          + " running out)";
    }
    if (root && FORK_FAILED.matcher(tail).find()) {
      return "the process limit of " + limits.processes() + " (the log shows fork failing)";
    }
    return null;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  /** Starts a sandbox exactly as a command would, running {@code true}; empty when it works, else why not. */
  private Optional<String> probe() {
    try {
      Path dir = newRunFolder("probe");
      Path work = Files.createDirectory(dir.resolve("work"));
      Path log = dir.resolve("probe.log");
      try {
        Result result = run(new Command("true", work, work, work, Map.of(), Limits.forTime(Duration.ofSeconds(30)),
            log), (elapsed, tail, bytes) -> { });
        return result.succeeded() ? Optional.empty()
            : Optional.of("exit status " + result.exitCode() + ": " + tail(log, 5).strip());
      } finally {
        Files.deleteIfExists(log);
        Files.deleteIfExists(work);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The last lines of a log, for heartbeats and failure messages. */
  public static String tail(Path log, int lines) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int window = (int) Math.min(length, 8192);
      byte[] bytes = new byte[window];
      file.seek(length - window);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      String[] all = text.split("\n", -1);
      int end = text.endsWith("\n") ? all.length - 1 : all.length;
      int from = Math.max(0, end - lines);
      // the first line of a partial window may be cut; drop it unless the window is the whole file
      if (from == 0 && window < length && end > 1) {
        from = 1;
      }
      return String.join("\n", java.util.Arrays.asList(all).subList(from, end));
    }
  }

  private static void handToNobody(Path workFolder) throws IOException {
    try (Stream<Path> walk = Files.walk(workFolder)) {
      for (Path p : walk.toList()) {
        Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  private void killTree(Process process) throws IOException {
    // children first: once the parent is gone they would be re-parented out of reach. Sandboxed, the parent (bwrap)
    // then exits by itself once bwrap's init has died, and that init dies only after every process of its PID
    // namespace is gone: waiting for the parent waits for the whole tree
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    if (!sandboxed) {
      process.destroyForcibly();
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while stopping a command", e);
    }
  }

  private static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
