package dev.durablerelease.contract;

/**
 * How an activity ran, as the activity itself measured it.
 *
 * @param worker identity of the worker that ran the successful attempt
 * @param attempt the attempt that succeeded (1 = first try)
 * @param millis time spent inside the activity on that attempt
 * @param reused whether the result was taken from an earlier run with identical inputs instead of being made again
 * @param sandbox for stages that run project code, how it was isolated: {@code bubblewrap}, or {@code none} on a
 *     worker started with {@code --unsafe-no-sandbox}; null for stages that run none
 */
public record StageRun(String worker, int attempt, long millis, boolean reused, String sandbox) {

  public StageRun(String worker, int attempt, long millis, boolean reused) {
    this(worker, attempt, millis, reused, null);
  }

  public StageRun withSandbox(String isolation) {
    return new StageRun(worker, attempt, millis, reused, isolation);
  }
}
