package dev.durablerelease.command;

import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.spec.SourceSpec;
import java.time.Duration;

/**
 * What a project command may use. The time limit kills the whole process tree; CPU time and file size are rlimits
 * set by {@code prlimit} per process; memory caps each process's address space (an rlimit) and, where the worker
 * makes {@link ControlGroups}, the memory of the whole tree; processes caps the tree through the control groups, or
 * else (as an rlimit) the processes of the command's own user namespace; tmp is the size of the private {@code /tmp}.
 *
 * @param time wall-clock limit
 * @param cpu CPU time of any one process
 * @param fileBytes largest file a process may write
 * @param memoryBytes address space of any one process, and memory of the whole command where control groups are made
 * @param processes processes (threads count) of the whole command
 * @param tmpBytes size of the private {@code /tmp}
 */
public record Limits(Duration time, Duration cpu, long fileBytes, long memoryBytes, int processes, long tmpBytes) {
  private static final long MIB = 1024 * 1024;

  /**
   * The limits of a command with this wall-clock limit: CPU twice that (a command may keep two cores busy), files up
   * to 1 GiB, 4 GiB of address space per process (a JVM with default settings fits), 256 processes, 256 MiB of /tmp.
   */
  public static Limits forTime(Duration time) {
    return new Limits(time, time.multipliedBy(2).plusSeconds(10), 1024 * MIB, 4096 * MIB, 256, 256 * MIB);
  }

  /** These limits with those the spec sets instead (sizes already validated by the spec loader). */
  public Limits with(LimitsSpec spec) {
    if (spec == null) {
      return this;
    }
    return new Limits(time, cpu,
        spec.fileSize() == null ? fileBytes : SourceSpec.parseSize(spec.fileSize()),
        spec.memory() == null ? memoryBytes : SourceSpec.parseSize(spec.memory()),
        spec.processes() == null ? processes : spec.processes(),
        spec.tmp() == null ? tmpBytes : SourceSpec.parseSize(spec.tmp()));
  }

  public Limits withCpu(Duration newCpu) {
    return new Limits(time, newCpu, fileBytes, memoryBytes, processes, tmpBytes);
  }

  public Limits withFileBytes(long bytes) {
    return new Limits(time, cpu, bytes, memoryBytes, processes, tmpBytes);
  }

  public Limits withMemoryBytes(long bytes) {
    return new Limits(time, cpu, fileBytes, bytes, processes, tmpBytes);
  }

  public Limits withProcesses(int count) {
    return new Limits(time, cpu, fileBytes, memoryBytes, count, tmpBytes);
  }

  static String mib(long bytes) {
    return bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes + " bytes";
  }
}
