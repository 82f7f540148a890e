package dev.durablerelease.policy;

import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.spec.SourceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The most a project's test and docs commands may ask for in their {@code limits}; read on the build and docs workers,
 * which refuse a release that asks for more before any build work starts. Each one left out keeps the worker's own.
 *
 * @param memory memory of the whole command, e.g. {@code 16GiB}
 * @param processes processes the command may have at once, e.g. {@code 4096}
 * @param fileSize largest file a process may write, e.g. {@code 8GiB}
 * @param tmp size of the private {@code /tmp}, e.g. {@code 2GiB}
 */
public record CeilingsPolicy(String memory, Integer processes, String fileSize, String tmp) {

  /** Each limit asked for above its ceiling, as "memory 64GiB is above the ceiling of 16GiB"; empty when none is. */
  public List<String> exceeded(LimitsSpec limits) {
    List<String> over = new ArrayList<>();
    if (limits == null) {
      return over;
    }
    size("memory", limits.memory(), memory, over);
    size("fileSize", limits.fileSize(), fileSize, over);
    size("tmp", limits.tmp(), tmp, over);
    if (limits.processes() != null && processes != null && limits.processes() > processes) {
      over.add("processes " + limits.processes() + " is above the ceiling of " + processes);
    }
    return over;
  }

  private static void size(String name, String asked, String ceiling, List<String> over) {
    if (asked != null && ceiling != null && SourceSpec.parseSize(asked) > SourceSpec.parseSize(ceiling)) {
      over.add(name + " " + asked + " is above the ceiling of " + ceiling);
    }
  }
}
