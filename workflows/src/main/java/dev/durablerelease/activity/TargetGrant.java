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
 */
public record TargetGrant(List<GrantedTarget> targets, StageRun run) implements StageOutput {

  /**
   * @param name the target's name in the policy
   * @param url where this release's files go on it, without user or credentials
   */
  public record GrantedTarget(String name, String url) {}

  @Override
  public TargetGrant withRun(StageRun newRun) {
    return new TargetGrant(targets, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of();
  }
}
