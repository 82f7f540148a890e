package dev.durablerelease.command;

import static dev.durablerelease.command.Limits.GIB;
import static dev.durablerelease.command.Limits.MIB;

import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.spec.SourceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The most a command may use, whatever its spec asks: caps on {@link Limits}. A spec asking for more is refused
 * ({@link #exceededBy}); defaults above a ceiling are lowered to it ({@link #lower}). The operator's policy sets them
 * per project; each it leaves out is the worker's own ({@link #DEFAULTS}).
 *
 * @param memoryBytes the most memory a command may ask for
 * @param processes the most processes
 * @param fileBytes the largest file size
 * @param tmpBytes the largest private {@code /tmp} (memory: a tmpfs)
 * @param diskBytes the largest work folder
 */
public record Ceilings(long memoryBytes, int processes, long fileBytes, long tmpBytes, long diskBytes) {
  /** A worker's own, for a machine like this project's (2 cores, 24 GiB of memory, a few hundred GiB of disk). */
  public static final Ceilings DEFAULTS = new Ceilings(16 * GIB, 4096, 16 * GIB, 4 * GIB, 64 * GIB);

  /**
   * Every limit the spec asks above its ceiling, each naming the limit, what was asked and the ceiling, e.g.
   * {@code memory 32GiB is above the ceiling of 16GiB}; empty when all fit (and for no limits at all).
   */
  public List<String> exceededBy(LimitsSpec asked) {
    List<String> above = new ArrayList<>();
    if (asked == null) {
      return above;
    }
    size("memory", asked.memory(), memoryBytes, above);
    if (asked.processes() != null && asked.processes() > processes) {
      above.add("processes " + asked.processes() + " is above the ceiling of " + processes);
    }
    size("fileSize", asked.fileSize(), fileBytes, above);
    size("tmp", asked.tmp(), tmpBytes, above);
    size("disk", asked.disk(), diskBytes, above);
    return above;
  }

  /** These limits, each above its ceiling lowered to it: the defaults, where a ceiling is below them. */
  public Limits lower(Limits limits) {
    return new Limits(limits.time(), limits.cpu(), Math.min(limits.fileBytes(), fileBytes),
        Math.min(limits.memoryBytes(), memoryBytes), Math.min(limits.processes(), processes),
        Math.min(limits.tmpBytes(), tmpBytes), Math.min(limits.diskBytes(), diskBytes));
  }

  private static void size(String name, String asked, long ceiling, List<String> above) {
    if (asked != null && SourceSpec.parseSize(asked) > ceiling) {
      above.add(name + " " + asked + " is above the ceiling of " + written(ceiling));
    }
  }

  /** A size as a spec would write it: {@code 16GiB}, {@code 512MiB} or a number of bytes. */
  private static String written(long bytes) {
    return bytes % GIB == 0 ? bytes / GIB + "GiB" : bytes % MIB == 0 ? bytes / MIB + "MiB" : Long.toString(bytes);
  }
}
