package dev.durablerelease.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Runs project code (tests, docs), which the engine does not trust. Sandboxed, the command runs in bubblewrap with
 * new PID, network, IPC, UTS and user namespaces (only its own loopback), read-only system folders, its work folder as
 * the only writable bind, a private size-capped /tmp and an environment of only the allowed variables; under
 * {@code prlimit} caps per process and, where the worker may make them (as root), {@link ControlGroups} capping the
 * memory and processes of the whole tree, and a work folder on a file system of the disk limit's size
 * ({@link WorkDisk}); as nobody when the worker is root. Output goes to a log file; progress is reported while it runs; the wall-clock limit, a worker's disk running low, or the
 * caller giving up, kills the whole process tree.
 *
 * <p>The parts: {@link RunFolders} (where runs happen), {@link SandboxCommandLine} (what starts the command),
 * {@link Supervisor} (watching it), {@link LimitDiagnosis} (which limit stopped it) and {@link LogTail}.
 *
 * <p>Unsandboxed ({@code --unsafe-no-sandbox}) keeps the clean environment, the caps and the time limit, but the
 * command sees the host's file system and network.
 */
public final class CommandRunner {
  /** Isolation names as release.json and the provenance record them. */
  public static final String BUBBLEWRAP = "bubblewrap";
  public static final String NONE = "none";
  /** A command is stopped when the disk of the run folders has less free than this. */
  static final long KEEP_FREE_BYTES = Limits.GIB;
  /** The probe's work disk: as small as a file system of its own can be. */
  private static final long PROBE_DISK_BYTES = 16 * Limits.MIB;

  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final AtomicLong RUNS = new AtomicLong();

  private final boolean sandboxed;
  private final boolean root;
  private final RunFolders runFolders;
  /** Where each run's control groups are made; empty where this worker may not make them. */
  private final Optional<List<Path>> controlGroups;
  private final SandboxCommandLine commandLine;
  private final Supervisor supervisor;
  private volatile Optional<String> problem;

  CommandRunner(boolean sandboxed, String bwrap, Path runsRoot, long keepFreeBytes) {
    this.sandboxed = sandboxed;
    this.root = currentUid() == 0;
    this.runFolders = new RunFolders(runsRoot, WorkDisk.possibleHere(root), keepFreeBytes);
    this.controlGroups = root ? ControlGroups.parents() : Optional.empty();
    this.commandLine = new SandboxCommandLine(sandboxed, bwrap, root);
    this.supervisor = new Supervisor(sandboxed, runsRoot, keepFreeBytes);
  }

  CommandRunner(boolean sandboxed, String bwrap) {
    this(sandboxed, bwrap, defaultRunsRoot(), KEEP_FREE_BYTES);
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
   * Throws, saying why, when this runner cannot run a command here with every limit in force: bubblewrap does not
   * start, a work disk cannot be made, or (unsandboxed, where control groups cannot be made) no user namespace can
   * hold the process limit. Checked once, by running {@code true} exactly as a command would run.
   */
  public void requireUsable() {
    if (problem == null) {
      problem = probe();
    }
    problem.ifPresent(why -> {
      throw new SandboxUnavailableException("this worker cannot run project code: " + why);
    });
  }

  /** Whether the memory and process limits hold for the whole tree of a command, not only for each process. */
  public boolean limitsWholeTree() {
    return controlGroups.isPresent();
  }

  /** Whether each command's work folder is a file system of the disk limit's size; else only the disk floor holds. */
  public boolean limitsDiskPerCommand() {
    return runFolders.workDisks();
  }

  /** Where run folders are made. */
  public Path runsRoot() {
    return runFolders.root();
  }

  /**
   * A new folder for one command run, that only the sandbox user and this worker can reach, with a work folder of
   * {@code limits}' disk size (see {@link RunFolder}).
   */
  public RunFolder newRunFolder(String name, Limits limits) throws IOException {
    return runFolders.create(name, limits.diskBytes());
  }

  /**
   * Deletes the run folders and control groups of worker processes that are gone (killed mid-command, they could not
   * clean up), killing what is left running in those groups.
   */
  public void removeStaleRuns() throws IOException {
    if (controlGroups.isPresent()) {
      ControlGroups.removeStale(controlGroups.get());
    }
    runFolders.removeStale();
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
   * @param folder its run folder, whose work folder is the only one it may write (all of it handed to the sandbox
   *     user)
   * @param startDir where it starts, inside the work folder
   * @param home its HOME, inside the work folder
   * @param env the only variables it sees besides PATH, HOME and LANG; only its shell gets them
   * @param limits what it may use
   * @param log where its stdout and stderr go, outside the work folder
   */
  public record Command(String command, RunFolder folder, Path startDir, Path home, Map<String, String> env,
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
    command.env().keySet().stream().filter(name -> !VARIABLE_NAME.matcher(name).matches()).findFirst()
        .ifPresent(name -> {
          throw new IllegalArgumentException("\"" + name + "\" is not an environment variable name");
        });
    if (root) {
      RunFolders.handToSandboxUser(command.folder().work());
    }
    ControlGroups groups = controlGroups.isEmpty() ? null : ControlGroups.create(controlGroups.get(),
        ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet(), command.limits());
    try {
      List<String> argv = new ArrayList<>();
      if (groups != null) {
        argv.addAll(groups.joinThenExec());
      }
      argv.addAll(commandLine.argv(command, groups != null));
      Supervisor.Ending ending = supervisor.supervise(argv, command, progress);
      String limit = ending.killedAt() != null ? ending.killedAt()
          : LimitDiagnosis.limitHit(ending.exitCode(), command, groups, sandboxed);
      return new Result(ending.exitCode(), ending.timedOut(), limit, ending.millis());
    } finally {
      if (groups != null) {
        groups.remove();
      }
    }
  }

  /** Starts a command exactly as a project's would, running {@code true}; empty when it works, else why not. */
  private Optional<String> probe() {
    Limits limits = Limits.forTime(Duration.ofSeconds(30)).withDiskBytes(PROBE_DISK_BYTES);
    RunFolder folder;
    try {
      folder = newRunFolder("probe", limits);
    } catch (IOException e) {
      return Optional.of("it cannot make a run folder (" + e.getMessage() + "); work disks need root, loop devices"
          + " and mkfs.ext4 (apt-get install e2fsprogs)");
    }
    String why;
    try (folder) {
      Path log = folder.dir().resolve("probe.log");
      Result result = run(new Command("true", folder, folder.work(), folder.work(), Map.of(), limits, log),
          (elapsed, tail, bytes) -> { });
      if (result.succeeded()) {
        return Optional.empty();
      }
      why = "exit status " + result.exitCode() + ": " + LogTail.of(log, 5).strip();
    } catch (IOException e) {
      why = e.getMessage();
    }
    if (sandboxed) {
      return Optional.of("bubblewrap does not start here (" + why + "); install bubblewrap (apt-get install"
          + " bubblewrap) and allow unprivileged user namespaces, or start the worker with --unsafe-no-sandbox on a"
          + " host you trust (results are then marked unsandboxed)");
    }
    return Optional.of("its commands do not start with their limits in force (" + why + "); where the worker cannot"
        + " make control groups (it is not root), a command's processes are capped in a user namespace of its own:"
        + " allow unprivileged user namespaces, or run the worker as root");
  }

  private static Path defaultRunsRoot() {
    // not under the worker's home: nobody must be able to reach the run folders, and homes are often closed
    return Path.of(System.getProperty("java.io.tmpdir"), "durable-release-runs-" + currentUid());
  }

  private static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }
}
