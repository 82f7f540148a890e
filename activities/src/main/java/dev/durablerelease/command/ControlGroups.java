package dev.durablerelease.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The kernel control groups of one command run, in the cgroup v1 {@code memory} and {@code pids} hierarchies (as this
 * machine kind mounts them). rlimits cap each process alone, so forty processes of 1 GiB each pass a 1 GiB limit;
 * these groups cap the whole tree: its memory and its number of processes. They also tell afterwards whether the
 * kernel stopped the command at either cap, and they hold every process of the run, even a daemon that left its
 * parent, so that nothing outlives the run. Made only where the worker may create groups (as root); elsewhere
 * commands run under rlimits alone.
 */
final class ControlGroups {
  private static final Path PROC_MOUNTS = Path.of("/proc/self/mounts");
  private static final Path PROC_CGROUP = Path.of("/proc/self/cgroup");
  static final String PREFIX = "durable-release-";

  private final Path memory;
  private final Path pids;

  private ControlGroups(Path memory, Path pids) {
    this.memory = memory;
    this.pids = pids;
  }

  /**
   * The folders under which this worker makes its groups: its own group in the {@code memory} and {@code pids}
   * hierarchies, or empty when either is not mounted or not writable here.
   */
  static Optional<List<Path>> parents() {
    try {
      Optional<Path> memory = ownGroup("memory");
      Optional<Path> pids = ownGroup("pids");
      if (memory.isEmpty() || pids.isEmpty() || !Files.isWritable(memory.get()) || !Files.isWritable(pids.get())) {
        return Optional.empty();
      }
      return Optional.of(List.of(memory.get(), pids.get()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Makes the groups of one run, capped at {@code limits}' memory (no swap either) and processes. */
  static ControlGroups create(List<Path> parents, String run, Limits limits) throws IOException {
    Path memory = Files.createDirectory(parents.get(0).resolve(PREFIX + run));
    Path pids = Files.createDirectory(parents.get(1).resolve(PREFIX + run));
    ControlGroups groups = new ControlGroups(memory, pids);
    try {
      Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
      Path withSwap = memory.resolve("memory.memsw.limit_in_bytes"); // only where the kernel accounts swap
      if (Files.exists(withSwap)) {
        Files.writeString(withSwap, Long.toString(limits.memoryBytes()));
      }
      Files.writeString(pids.resolve("pids.max"), Integer.toString(limits.processes()));
    } catch (IOException e) {
      groups.remove();
      throw e;
    }
    return groups;
  }

  /**
   * The argv prefix that moves the command into the groups before anything of it runs: a shell joins them, then
   * execs the rest of the command line (so no child can start outside).
   */
  List<String> joinThenExec() {
    return List.of("sh", "-c", "echo $$ > " + quoted(memory.resolve("cgroup.procs")) + " && echo $$ > "
        + quoted(pids.resolve("cgroup.procs")) + " && exec \"$@\"", "sh");
  }

  /** Which cap the kernel enforced on the run, or null. */
  String limitHit(Limits limits) throws IOException {
    long killed = counter(memory.resolve("memory.oom_control"), "oom_kill");
    if (killed > 0) {
      return "the memory limit of " + Limits.mib(limits.memoryBytes()) + " for the whole command (the kernel killed "
          + killed + (killed == 1 ? " process" : " processes") + " at it)";
    }
    long refused = counter(pids.resolve("pids.events"), "max");
    if (refused > 0) {
      return "the process limit of " + limits.processes() + " for the whole command (" + refused
          + (refused == 1 ? " fork" : " forks") + " refused)";
    }
    return null;
  }

  /** Kills every process left in the run and removes its groups. */
  void remove() throws IOException {
    killAll(pids);
    killAll(memory);
    Files.deleteIfExists(pids);
    Files.deleteIfExists(memory);
  }

  /** Removes the groups of worker processes that are gone (killed mid-command, they could not), and their processes. */
  static void removeStale(List<Path> parents) throws IOException {
    for (Path parent : parents) {
      List<Path> stale;
      try (Stream<Path> groups = Files.list(parent)) {
        stale = groups.filter(g -> g.getFileName().toString().startsWith(PREFIX))
            .filter(g -> !RunFolders.ownedByLiveProcess(g.getFileName().toString().substring(PREFIX.length())))
            .toList();
      }
      for (Path group : stale) {
        killAll(group);
        Files.deleteIfExists(group);
      }
    }
  }

  /** Kills until the group is empty: a process may fork while its siblings are being killed, but not forever. */
  private static void killAll(Path group) throws IOException {
    Path procs = group.resolve("cgroup.procs");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.exists(procs)) {
      List<String> left = Files.readAllLines(procs);
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("processes " + left + " of " + group + " survive SIGKILL for 10 s");
      }
      left.forEach(pid -> ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly));
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while emptying " + group, e);
      }
    }
  }

  /** This process's own group in the v1 hierarchy of {@code controller}, as mounted here. */
  private static Optional<Path> ownGroup(String controller) throws IOException {
    Optional<Path> mount = Files.readAllLines(PROC_MOUNTS).stream()
        .map(line -> line.split(" "))
        .filter(f -> f.length > 3 && f[2].equals("cgroup") && List.of(f[3].split(",")).contains(controller))
        .map(f -> Path.of(f[1]))
        .findFirst();
    if (mount.isEmpty()) {
      return Optional.empty();
    }
    // "4:memory:/some/group": the path is relative to the hierarchy's root, which a container may mount as its own
    Optional<String> own = Files.readAllLines(PROC_CGROUP).stream()
        .map(line -> line.split(":", 3))
        .filter(f -> f.length == 3 && List.of(f[1].split(",")).contains(controller))
        .map(f -> f[2])
        .findFirst();
    Path group = own.map(p -> mount.get().resolve(p.substring(1))).filter(Files::isDirectory).orElse(mount.get());
    return Optional.of(group);
  }

  private static long counter(Path file, String name) throws IOException {
    return Files.readAllLines(file).stream()
        .map(line -> line.split(" "))
        .filter(f -> f.length == 2 && f[0].equals(name))
        .mapToLong(f -> Long.parseLong(f[1]))
        .findFirst().orElse(0);
  }

  private static String quoted(Path path) {
    return "'" + path.toString().replace("'", "'\\''") + "'";
  }
}
