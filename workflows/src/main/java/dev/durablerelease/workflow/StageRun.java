package dev.durablerelease.workflow;

/**
 * How an activity ran, as the activity itself measured it.
 *
 * @param worker identity of the worker that ran the successful attempt
 * @param attempt the attempt that succeeded (1 = first try)
 * @param millis time spent inside the activity on that attempt
 */
public record StageRun(String worker, int attempt, long millis) {}
