package dev.durablerelease.workflow;

import dev.durablerelease.activity.LimitsGrant;
import dev.durablerelease.activity.SigningGrant;
import dev.durablerelease.activity.SigningGrant.ApprovalRule;
import dev.durablerelease.activity.TargetGrant;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What each trust domain's policy granted the release: the targets (upload), signing and approvals (sign), and the
 * commands' limits (build, docs). One checklist line, made of one check per domain.
 *
 * @param targets the targets, or null when the release publishes nowhere
 * @param signing how it is signed and who approves
 * @param limits the test and docs commands' limits, for those it has
 */
record Grants(TargetGrant targets, SigningGrant signing, List<LimitsGrant> limits) implements StageOutput {

  ApprovalRule approval() {
    return signing.approval() == null || signing.approval().approvals() == 0 ? null : signing.approval();
  }

  List<String> targetUrls() {
    return targets == null ? List.of() : targets.targets().stream().map(TargetGrant.GrantedTarget::url).toList();
  }

  /** The checks as one run: every worker that answered, the slowest check's time. */
  @Override
  public StageRun run() {
    List<StageRun> runs = new ArrayList<>();
    Stream.concat(Stream.of(targets, signing), limits.stream())
        .filter(java.util.Objects::nonNull)
        .forEach(grant -> runs.add(grant.run()));
    String workers = String.join(", ", runs.stream().map(StageRun::worker).distinct().toList());
    int attempt = runs.stream().mapToInt(StageRun::attempt).max().orElse(1);
    long millis = runs.stream().mapToLong(StageRun::millis).max().orElse(0);
    return new StageRun(workers, attempt, millis, false);
  }

  @Override
  public Grants withRun(StageRun run) {
    return this;
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of();
  }

  /** The checklist line: what was granted. */
  String describe() {
    List<String> parts = new ArrayList<>();
    parts.add(targets == null ? "no targets" : targets.targets().isEmpty() ? "no target takes this release"
        : "targets " + String.join(", ", targets.targets().stream().map(TargetGrant.GrantedTarget::name).toList()));
    if (targets != null) {
      targets.skippedTargets().forEach(t -> parts.add(t.name() + " skipped (" + t.reason() + ")"));
    }
    parts.add(signing.signs() ? "signed (" + signing.mode() + ")" : "not signed");
    ApprovalRule approval = approval();
    parts.add(approval == null ? signing.approvalSkipped() != null ? "no approval (" + signing.approvalSkipped() + ")"
        : "no approval" : approval.approvals() + " approval(s) of " + String.join(", ", approval.approvers()));
    if (!limits.isEmpty()) {
      parts.add("limits within ceilings");
    }
    return String.join("; ", parts);
  }
}
