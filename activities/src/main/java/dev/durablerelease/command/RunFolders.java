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
 */
final class RunFolders {
  private static final String TRAVERSE_ONLY = "rwx--x--x";

  private final Path root;

  /** @param root the folder holding the run folders */
  RunFolders(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** A new run folder with an empty work folder. */
  RunFolder create(String name) throws IOException {
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString(TRAVERSE_ONLY));
    Path dir = Files.createTempDirectory(root, ProcessHandle.current().pid() + "-" + name + "-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(TRAVERSE_ONLY));
    return new RunFolder(dir, Files.createDirectory(dir.resolve("work")));
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
