package dev.durablerelease.command;

import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.spec.SourceSpec;
import java.time.Duration;

/**
 * What a project command may use. The time limit kills the whole process tree; CPU time and file size are rlimits
 * set by {@code prlimit} per process; memory caps each process's address space (an rlimit) and, where the worker
 * makes {@link ControlGroups}, the memory of the whole tree; processes caps the tree through the control groups, or
 * else (as an rlimit) the processes of the command's own user namespace; tmp is the size of the private {@code /tmp};
 * disk the size of the work folder, where the worker can give it a file system of its own ({@link WorkDisk}).
 *
 * @param time wall-clock limit
 * @param cpu CPU time of any one process
 * @param fileBytes largest file a process may write
 * @param memoryBytes address space of any one process, and memory of the whole command where control groups are made
 * @param processes processes (threads count) of the whole command
 * @param tmpBytes size of the private {@code /tmp}
 * @param diskBytes size of the work folder: the unpacked source and everything the command writes there
 */
public record Limits(Duration time, Duration cpu, long fileBytes, long memoryBytes, int processes, long tmpBytes,
    long diskBytes) {
  static final long MIB = 1024 * 1024;
  static final long GIB = 1024 * MIB;

  /**
   * The limits of a command with this wall-clock limit: CPU twice that (a command may keep two cores busy), files up
   * to 1 GiB, 4 GiB of address space per process (a JVM with default settings fits), 256 processes, 256 MiB of /tmp,
   * a work folder of 8 GiB.
   */
  public static Limits forTime(Duration time) {
    return new Limits(time, time.multipliedBy(2).plusSeconds(10), GIB, 4 * GIB, 256, 256 * MIB, 8 * GIB);
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
        spec.tmp() == null ? tmpBytes : SourceSpec.parseSize(spec.tmp()),
        spec.disk() == null ? diskBytes : SourceSpec.parseSize(spec.disk()));
  }

  public Limits withCpu(Duration newCpu) {
    return new Limits(time, newCpu, fileBytes, memoryBytes, processes, tmpBytes, diskBytes);
  }

  public Limits withFileBytes(long bytes) {
    return new Limits(time, cpu, bytes, memoryBytes, processes, tmpBytes, diskBytes);
  }

  public Limits withMemoryBytes(long bytes) {
    return new Limits(time, cpu, fileBytes, bytes, processes, tmpBytes, diskBytes);
  }

  public Limits withProcesses(int count) {
    return new Limits(time, cpu, fileBytes, memoryBytes, count, tmpBytes, diskBytes);
  }

  public Limits withTmpBytes(long bytes) {
    return new Limits(time, cpu, fileBytes, memoryBytes, processes, bytes, diskBytes);
  }

  public Limits withDiskBytes(long bytes) {
    return new Limits(time, cpu, fileBytes, memoryBytes, processes, tmpBytes, bytes);
  }

  static String mib(long bytes) {
    return bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes + " bytes";
  }
}
