package dev.durablerelease.workflow;

/**
 * How an activity ran, as the activity itself measured it.
 *
 * @param worker identity of the worker that ran the successful attempt
 * @param attempt the attempt that succeeded (1 = first try)
 * @param millis time spent inside the activity on that attempt
 * @param reused whether the result was taken from an earlier run with identical inputs instead of being made again
 */
public record StageRun(String worker, int attempt, long millis, boolean reused) {}
