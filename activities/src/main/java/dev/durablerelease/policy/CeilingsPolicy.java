package dev.durablerelease.policy;

import dev.durablerelease.command.Ceilings;
import dev.durablerelease.spec.SourceSpec;

/**
 * The most a project's test and docs commands may ask for in their {@code limits}; read on the build and docs workers,
 * which refuse a release that asks for more before any build work starts. Each one left out keeps the worker's own
 * ({@link Ceilings#DEFAULTS}), as does a project without ceilings.
 *
 * @param memory memory of the whole command, e.g. {@code 16GiB}
 * @param processes processes the command may have at once, e.g. {@code 4096}
 * @param fileSize largest file a process may write, e.g. {@code 8GiB}
 * @param tmp size of the private {@code /tmp}, e.g. {@code 2GiB}
 * @param disk size of the work folder, e.g. {@code 64GiB}
 */
public record CeilingsPolicy(String memory, Integer processes, String fileSize, String tmp, String disk) {

  /** The ceilings of a project: its policy's, each one left out (or all, for {@code null}) the worker's own. */
  public static Ceilings of(CeilingsPolicy policy) {
    Ceilings own = Ceilings.DEFAULTS;
    if (policy == null) {
      return own;
    }
    return new Ceilings(bytes(policy.memory, own.memoryBytes()),
        policy.processes != null ? policy.processes : own.processes(), bytes(policy.fileSize, own.fileBytes()),
        bytes(policy.tmp, own.tmpBytes()), bytes(policy.disk, own.diskBytes()));
  }

  private static long bytes(String size, long own) {
    return size != null ? SourceSpec.parseSize(size) : own;
  }
}
