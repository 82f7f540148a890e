package dev.durablerelease.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Builds the documentation from the built archive; served on {@link TaskQueues#DOCS}. */
@ActivityInterface
public interface DocsActivities {
  /**
   * Checks the docs command's limits against this worker's ceilings (the operator's policy) before any build work;
   * refuses with {@link Failures#POLICY_REFUSED}, naming each limit above its ceiling. Idempotent: it only reads.
   */
  @ActivityMethod(name = "grantDocsLimits")
  LimitsGrant grantDocsLimits(GrantRequest request);

  /**
   * Unpacks the archive into a fresh folder, runs the docs command, and archives each output folder reproducibly.
   * Idempotent: each attempt starts from a fresh unpack; outputs are stored by digest.
   */
  @ActivityMethod(name = "buildDocs")
  CommandReport buildDocs(CommandInput input);
}
