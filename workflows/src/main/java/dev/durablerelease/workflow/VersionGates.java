package dev.durablerelease.workflow;

import dev.durablerelease.activity.TargetGrant;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.TargetRequest;
import dev.durablerelease.spec.VersionFacts;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The stages a release's version leaves out: a test or docs command whose {@code when:} does not name its release
 * level (the spec's, read from the checkout), the approval and the targets the operator's policy keeps for other
 * levels (as the sign and upload workers read the version). Each shows as {@code skipped (pre-release)}, never as not
 * configured.
 */
final class VersionGates {
  private final Set<Stage> skipped = EnumSet.noneOf(Stage.class);
  private final Set<String> skippedTargets = new HashSet<>();

  void apply(Checklist checklist, ReleaseSpec spec, VersionFacts version, Grants grants, long now) {
    if (spec.hasTests()) {
      command(checklist, Stage.TEST_SOURCE, spec.test().when(), version, now);
    }
    if (spec.hasDocs()) {
      command(checklist, Stage.BUILD_DOCS, spec.docs().when(), version, now);
    }
    if (grants.signing().approvalSkipped() != null) {
      skip(checklist, Stage.APPROVAL, grants.signing().approvalSkipped(), now);
    }
    if (grants.targets() != null && !grants.targets().skippedTargets().isEmpty()) {
      grants.targets().skippedTargets().forEach(t -> skippedTargets.add(t.name()));
      if (grants.targets().targets().isEmpty()) {
        skip(checklist, Stage.UPLOAD, String.join("; ", grants.targets().skippedTargets().stream()
            .map(t -> t.name() + " " + t.reason()).toList()), now);
      }
    }
  }

  boolean skips(Stage stage) {
    return skipped.contains(stage);
  }

  /** The targets the release publishes to: those asked for, less those the policy keeps for other levels. */
  List<TargetRequest> targets(List<TargetRequest> asked) {
    return asked.stream().filter(t -> !skippedTargets.contains(t.target())).toList();
  }

  private void command(Checklist checklist, Stage stage, List<String> when, VersionFacts version, long now) {
    if (!when.isEmpty() && !when.contains(version.level())) {
      skip(checklist, stage, stage.id() + " runs for " + String.join(", ", when) + " only; " + version.describe(),
          now);
    }
  }

  private void skip(Checklist checklist, Stage stage, String why, long now) {
    skipped.add(stage);
    checklist.skipForPreRelease(stage, now, why);
  }
}
