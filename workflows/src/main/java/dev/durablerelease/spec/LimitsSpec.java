package dev.durablerelease.spec;

/**
 * What a project command's sandbox may use, beyond the stage's time limit; each one left out keeps its default. None
 * may exceed the worker's ceilings.
 *
 * @param memory address space of any one process, e.g. {@code 8GiB} (default {@code 4GiB})
 * @param processes processes the command may have at once, e.g. {@code 1024} (default 256)
 * @param fileSize largest file a process may write, e.g. {@code 4GiB} (default {@code 1GiB})
 * @param tmp size of the private {@code /tmp}, e.g. {@code 1GiB} (default {@code 256MiB})
 * @param disk size of the command's work folder (the unpacked source and all it writes there), e.g. {@code 20GiB}
 *     (default {@code 8GiB})
 */
public record LimitsSpec(String memory, Integer processes, String fileSize, String tmp, String disk) {}
