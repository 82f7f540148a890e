package dev.durablerelease.command;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Which limit stopped a command that ended on its own: the CPU and file-size signals name theirs, the control groups
 * count what the kernel enforced on the tree, a full work disk shows in its file system, and a process's own memory
 * and process limits, and a full /tmp, show only as failures in the log.
 */
final class LimitDiagnosis {
  private static final Pattern OUT_OF_MEMORY = Pattern.compile(
      "(?i)memory exhausted|cannot allocate memory|out of memory|OutOfMemoryError|MemoryError|bad_alloc");
  private static final Pattern FORK_FAILED = Pattern.compile(
      "(?i)cannot fork|fork: (retry|resource temporarily unavailable)|unable to create native thread");
  private static final Pattern NO_SPACE = Pattern.compile("(?i)no space left on device");

  private LimitDiagnosis() {}

  /** The limit that stopped the command, e.g. {@code the file size limit of 1 MiB}, or null. */
  static String limitHit(int exit, CommandRunner.Command command, ControlGroups groups, boolean sandboxed)
      throws IOException {
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
    if (command.folder().full()) {
      return command.folder().diskLimit() + " (full when the command ended)";
    }
    String tail = LogTail.of(command.log(), 40);
    if (OUT_OF_MEMORY.matcher(tail).find()) {
      return "the memory limit of " + Limits.mib(limits.memoryBytes()) + " per process (the log shows memory"
          + " running out)";
    }
    if (groups == null && FORK_FAILED.matcher(tail).find()) {
      return "the process limit of " + limits.processes() + " (the log shows fork failing)";
    }
    if (sandboxed && command.folder().hasOwnDisk() && NO_SPACE.matcher(tail).find()) {
      return "the /tmp limit of " + Limits.mib(limits.tmpBytes()) + " (the log shows no space left on a device,"
          + " and the work folder has room)";
    }
    return null;
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }
}
