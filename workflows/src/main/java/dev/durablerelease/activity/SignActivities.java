package dev.durablerelease.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Signs release files with Sigstore and verifies operators' signed decisions; served on {@link TaskQueues#SIGN}, by
 * workers that never run project code. The signing configuration and the approvers' keys are this worker's policy.
 */
@ActivityInterface
public interface SignActivities {
  /**
   * Says how this worker's policy signs the project's releases and who must approve them first. Idempotent: it only
   * reads the policy.
   */
  @ActivityMethod(name = "grantSigning")
  SigningGrant grantSigning(GrantRequest request);

  /**
   * Verifies an operator's signature over a decision statement against the approvers the policy lists for the
   * project, and returns who signed; refuses ({@link Failures#APPROVAL_REFUSED}) a signature that does not verify,
   * a key that is not an approver's, or a statement about another project. Idempotent: it only reads.
   */
  @ActivityMethod(name = "verifyDecision")
  SignedDecision verifyDecision(DecisionCheck check);

  /**
   * Checks that the approvals the policy asks for are there, signed over exactly these files; then re-hashes every
   * file from the store and refuses (non-retryable, nothing signed) when one no longer has the digest
   * recorded when it was built; then signs them all, verifies each bundle against the expected identity, and stores
   * {@code <file>.sigstore}. A repeat signs again: bundles differ between attempts (fresh keys, new log entries), and
   * the workflow keeps the result of the attempt that succeeded.
   */
  @ActivityMethod(name = "sign")
  Signatures sign(SignInput input);
}
