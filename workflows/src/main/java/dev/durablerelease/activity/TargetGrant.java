package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * The publish targets granted to a release, as public facts: names and URLs, no user and no credential.
 *
 * @param targets each target asked for, in the order asked
 * @param run how the check ran
 * @param skipped the targets asked for that take no release of this level, with why (null from earlier engines)
 */
public record TargetGrant(List<GrantedTarget> targets, StageRun run, List<SkippedTarget> skipped)
    implements StageOutput {

  public TargetGrant(List<GrantedTarget> targets, StageRun run) {
    this(targets, run, null);
  }

  /**
   * @param name the target's name in the policy
   * @param reason why, e.g. "takes final only; 3.14.0rc1 is rc"
   */
  public record SkippedTarget(String name, String reason) {}

  /** The skipped targets (none from earlier engines). */
  public List<SkippedTarget> skippedTargets() {
    return skipped == null ? List.of() : skipped;
  }

  /**
   * @param name the target's name in the policy
   * @param url where this release's files go on it, without user or credentials
   */
  public record GrantedTarget(String name, String url) {}

  @Override
  public TargetGrant withRun(StageRun newRun) {
    return new TargetGrant(targets, newRun, skipped);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of();
  }
}
