package dev.durablerelease.activity;

import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.spec.TargetRequest;
import dev.durablerelease.spec.Versioning;
import java.util.List;

/**
 * What a release asks of the operator's policy, put to each trust domain before any build work: each worker reads
 * its own part and refuses what its policy does not grant ({@link Failures#POLICY_REFUSED}).
 *
 * @param project the project, as its spec names it (the source worker has checked the repository may release it)
 * @param version the version
 * @param targets the publish targets asked for (upload workers)
 * @param limits the command's limits (build and docs workers), or null for the defaults
 * @param versioning how the spec reads the version (sign and upload workers parse it themselves); null from engines
 *     before version schemes
 */
public record GrantRequest(String project, String version, List<TargetRequest> targets, LimitsSpec limits,
    Versioning versioning) {

  public GrantRequest(String project, String version, List<TargetRequest> targets, LimitsSpec limits) {
    this(project, version, targets, limits, null);
  }
}
