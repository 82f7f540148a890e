package dev.durablerelease.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Signs release files with Sigstore; served on {@link TaskQueues#SIGN}, by workers that never run project code. */
@ActivityInterface
public interface SignActivities {
  /**
   * Re-hashes every file from the store and refuses (non-retryable, nothing signed) when one no longer has the digest
   * recorded when it was built; then signs them all, verifies each bundle against the expected identity, and stores
   * {@code <file>.sigstore}. A repeat signs again: bundles differ between attempts (fresh keys, new log entries), and
   * the workflow keeps the result of the attempt that succeeded.
   */
  @ActivityMethod(name = "sign")
  Signatures sign(SignInput input);
}
