package dev.durablerelease.contract;

/**
 * One line of the checklist as the {@code status} query and {@code release.json} show it.
 *
 * @param stage the stage id, e.g. {@code buildSource}
 * @param state where it stands
 * @param attempts attempts made so far (0 before it started)
 * @param startedAt epoch milliseconds (workflow time) when it started, or 0
 * @param endedAt epoch milliseconds (workflow time) when it ended, or 0
 * @param worker the worker that ran the successful attempt, when known
 * @param activityMillis time spent inside the activity on its successful attempt, as the activity measured it
 * @param detail a short human line: the result or the failure
 * @param sandbox how the successful attempt isolated project code ({@code bubblewrap} or {@code none}); null for
 *     stages that run none
 */
public record StageStatus(String stage, StageState state, int attempts, long startedAt, long endedAt, String worker,
    long activityMillis, String detail, String sandbox) {

  public StageStatus(String stage, StageState state, int attempts, long startedAt, long endedAt, String worker,
      long activityMillis, String detail) {
    this(stage, state, attempts, startedAt, endedAt, worker, activityMillis, detail, null);
  }

  public static StageStatus pending(Stage stage) {
    return new StageStatus(stage.id(), StageState.PENDING, 0, 0, 0, null, 0, null);
  }
}
