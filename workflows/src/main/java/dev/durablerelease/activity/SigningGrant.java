package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * How the sign domain's policy treats a project's release: whether and how it is signed, and who must approve it
 * first. Public facts only: the token reference and the approvers' keys stay on the sign worker.
 *
 * @param mode {@code public}, {@code private} or {@code dev}; null when the policy does not sign this project
 * @param identity the certificate identity the bundles must carry (null in dev mode: the minted one)
 * @param issuer the OIDC issuer they must carry (null in dev mode)
 * @param approval who must approve before anything is signed or published, or null for no gate
 * @param run how the check ran
 * @param approvalSkipped why the policy's approval does not apply to this version (it is for other release levels),
 *     or null
 * @param builders how many builders, each on its own queue, must make the same source archives and SBOMs before
 *     anything is tested, signed or published: 2, or 1 (0 from sign workers that predate the setting) for one
 */
public record SigningGrant(String mode, String identity, String issuer, ApprovalRule approval, StageRun run,
    String approvalSkipped, int builders) implements StageOutput {

  public SigningGrant(String mode, String identity, String issuer, ApprovalRule approval, StageRun run) {
    this(mode, identity, issuer, approval, run, null, 1);
  }

  /**
   * @param approvals how many distinct approvers' keys must sign the release's statement
   * @param approvers the names that may approve
   * @param timeout how long to wait at the gate before blocking there
   * @param reminder how often to log that the release still waits
   * @param signedSkips whether a skip needs an approver's signature as well
   */
  public record ApprovalRule(int approvals, List<String> approvers, String timeout, String reminder,
      boolean signedSkips) {}

  public boolean signs() {
    return mode != null;
  }

  @Override
  public SigningGrant withRun(StageRun newRun) {
    return new SigningGrant(mode, identity, issuer, approval, newRun, approvalSkipped, builders);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of();
  }
}
