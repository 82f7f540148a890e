package dev.durablerelease.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where command runs get folders of their own: under the system's temporary folder (not the worker's home: the
 * sandbox user must reach them, and homes are often closed), one per run, reachable only by the worker and the
 * sandbox user, each named after the worker process that made it so that the folders of dead workers can be found.
 *
 * <p>Where work folders get disks of their own, a run starts only while the disk under them can hold every running
 * command's work folder full, and still keep its floor free: work disks are sparse (they take space only as commands
 * write), so this is what keeps commands that fill them together from filling the worker's disk.
 */
final class RunFolders {
  private static final String TRAVERSE_ONLY = "rwx--x--x";

  private final Path root;
  private final boolean workDisks;
  private final long keepFreeBytes;
  /** The sizes of the work disks of this worker's live runs, which may yet fill. */
  private long promisedBytes;

  /**
   * @param root the folder holding the run folders
   * @param workDisks whether each work folder gets a file system of its own ({@link WorkDisk})
   * @param keepFreeBytes what the disk under the run folders keeps free
   */
  RunFolders(Path root, boolean workDisks, long keepFreeBytes) {
    this.root = root;
    this.workDisks = workDisks;
    this.keepFreeBytes = keepFreeBytes;
  }

  Path root() {
    return root;
  }

  boolean workDisks() {
    return workDisks;
  }

  /** A new run folder with an empty work folder, on a file system of {@code diskBytes} where the worker can. */
  RunFolder create(String name, long diskBytes) throws IOException {
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString(TRAVERSE_ONLY));
    Path dir = Files.createTempDirectory(root, ProcessHandle.current().pid() + "-" + name + "-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(TRAVERSE_ONLY));
    Path work = Files.createDirectory(dir.resolve("work"));
    if (!workDisks) {
      return new RunFolder(this, dir, work, false, diskBytes);
    }
    try {
      promise(diskBytes);
      try {
        WorkDisk.mount(dir.resolve("work.img"), work, diskBytes);
      } catch (IOException e) {
        release(diskBytes);
        throw e;
      }
    } catch (IOException e) {
      deleteTree(dir);
      throw e;
    }
    return new RunFolder(this, dir, work, true, diskBytes);
  }

  /** Counts a new work disk in, or refuses (retryably: another worker, or this one later, may have room). */
  private synchronized void promise(long diskBytes) throws IOException {
    long usable = Files.getFileStore(root).getUsableSpace();
    if (usable - promisedBytes - diskBytes < keepFreeBytes) {
      throw new IOException("this worker's disk cannot hold a work folder of " + Limits.mib(diskBytes) + " now: "
          + Limits.mib(usable) + " free in " + root + ", " + Limits.mib(promisedBytes) + " of it promised to running"
          + " commands, and " + Limits.mib(keepFreeBytes) + " always kept free");
    }
    promisedBytes += diskBytes;
  }

  synchronized void release(long diskBytes) {
    promisedBytes -= diskBytes;
  }

  /** Deletes the run folders of worker processes that are gone (killed mid-command, they could not). */
  void removeStale() throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    List<Path> stale;
    try (Stream<Path> runs = Files.list(root)) {
      stale = runs.filter(dir -> !ownedByLiveProcess(dir.getFileName().toString())).toList();
    }
    for (Path dir : stale) {
      WorkDisk.unmountAllUnder(dir);
      deleteTree(dir);
    }
  }

  /** Whether a name made by a worker ({@code <pid>-...}) belongs to a worker process that is still alive. */
  static boolean ownedByLiveProcess(String name) {
    String pid = name.replaceFirst("-.*", "");
    return !pid.matches("\\d+") || ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Gives the work folder and all in it to the sandbox user, the only one the command runs as (the worker is root). */
  static void handToSandboxUser(Path work) throws IOException {
    try (Stream<Path> walk = Files.walk(work)) {
      for (Path p : walk.toList()) {
        Files.setAttribute(p, "unix:uid", SandboxCommandLine.SANDBOX_USER, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", SandboxCommandLine.SANDBOX_USER, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  /** Deletes a folder and everything in it, without following links out of it. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
