package dev.durablerelease.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Runs the project's tests on the built archive; served on {@link TaskQueues#BUILD}. */
@ActivityInterface
public interface BuildActivities {
  /**
   * Unpacks the archive into a fresh folder and runs the test command there. Idempotent: each attempt starts from a
   * fresh unpack, and the only thing kept is the log, stored by digest.
   */
  /**
   * Checks the test command's limits against this worker's ceilings (the operator's policy) before any build work;
   * refuses with {@link Failures#POLICY_REFUSED}, naming each limit above its ceiling. Idempotent: it only reads.
   */
  @ActivityMethod(name = "grantTestLimits")
  LimitsGrant grantTestLimits(GrantRequest request);

  @ActivityMethod(name = "testSource")
  CommandReport testSource(CommandInput input);
}
