package dev.durablerelease.workflow;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.BuildAgreement;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.Rebuild;
import dev.durablerelease.activity.RebuildInput;
import dev.durablerelease.activity.SbomInput;
import dev.durablerelease.activity.Sboms;
import dev.durablerelease.activity.SigningGrant;
import dev.durablerelease.activity.SourceActivities;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import io.temporal.workflow.Workflow;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Two builders must agree when the operator's policy says so ({@code reproducibility: {builders: 2}}, read on the sign
 * worker, which guards what gets signed). Right after buildSource, the first builder describes its archives (their
 * SBOMs), and a second builder, on a queue of its own served by hosts administered apart from the first's, makes the
 * archives and SBOMs again from the commit. The release goes on only where every digest is the same, so a compromised
 * source worker cannot slip an altered archive past tests, signing or upload. Where one differs, the stage blocks
 * naming each file and its first differing entry; a retry builds again, an abort ends the release.
 */
final class TwoBuilders {
  /** The change that added the second builder: releases started before it replay without one. */
  static final String CHANGE_ID = "twoBuilders";

  private final StageRunner stages;
  private boolean required;
  private BuildAgreement agreement;
  /** The source archives and SBOMs both builders made, by name: generateSbom does not describe them again. */
  private final Set<String> agreedFiles = new HashSet<>();

  TwoBuilders(StageRunner stages) {
    this.stages = stages;
  }

  /** Whether the release needs a second builder, once the grants are known. */
  boolean configure(SigningGrant signing) {
    required = signing.builders() > 1 && Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == 1;
    return required;
  }

  boolean required() {
    return required;
  }

  /**
   * Builds the source again on the second builder's queue until both builders agree (or an operator aborts); returns
   * the first builder's SBOMs of its archives, which are the release's from then on.
   */
  List<ArtifactRef> agree(Checkout checkout, Archives first) {
    while (true) {
      Builds builds = stages.run(Stage.REBUILD_SOURCE, () -> buildTwice(checkout, first), Builds::describe);
      String disagreement = builds.disagreement();
      if (disagreement == null) {
        agreement = builds.agreement();
        agreedFiles.addAll(agreement.files());
        return builds.firstSboms().sboms();
      }
      // not skippable: retry builds again (a second builder set right), abort ends the release
      stages.block(Stage.REBUILD_SOURCE, disagreement);
    }
  }

  /** Whether generateSbom already has this file: a source archive or SBOM both builders made. */
  boolean covers(ArtifactRef file) {
    return agreedFiles.contains(file.name());
  }

  /** Who agreed on what; null when one builder built the release. */
  BuildAgreement agreement() {
    return agreement;
  }

  private static Builds buildTwice(Checkout checkout, Archives first) {
    Sboms sboms = Workflow.newActivityStub(SourceActivities.class, StageOptions.source("rebuildSource: SBOMs of "
        + first.archives().size() + " source archive(s)")).generateSbom(new SbomInput(checkout, first.archives()));
    Rebuild second = Workflow.newActivityStub(SourceActivities.class, StageOptions.secondSource(
            "rebuildSource: the second builder makes " + first.archives().size() + " archive(s) and their SBOMs"))
        .rebuildSource(new RebuildInput(checkout, first.archives(), sboms.sboms()));
    return new Builds(first, sboms, second);
  }

  /** What each builder made, compared by digest here in the workflow: the second builder only says why they differ. */
  private record Builds(Archives first, Sboms firstSboms, Rebuild second) implements StageOutput {

    private List<ArtifactRef> firstFiles() {
      return Stream.concat(first.archives().stream(), firstSboms.sboms().stream()).toList();
    }

    /** Each file that is not byte-identical, with its first differing entry, one per line; null when all are. */
    String disagreement() {
      Map<String, String> secondDigests = new LinkedHashMap<>();
      second.artifacts().forEach(file -> secondDigests.put(file.name(), file.sha256()));
      Map<String, String> differing = new LinkedHashMap<>();
      for (ArtifactRef file : firstFiles()) {
        String theirs = secondDigests.remove(file.name());
        if (theirs == null) {
          differing.put(file.name(), "the second builder did not make it");
        } else if (!theirs.equals(file.sha256())) {
          differing.put(file.name(), second.differences().getOrDefault(file.name(), "the bytes differ"));
        }
      }
      secondDigests.keySet().forEach(name -> differing.put(name, "only the second builder made it"));
      if (differing.isEmpty()) {
        return null;
      }
      StringBuilder reason = new StringBuilder("the builders disagree on ")
          .append(String.join(", ", differing.keySet()))
          .append(" (first builder ").append(builder(TaskQueues.SOURCE, first.run()))
          .append(", second builder ").append(builder(TaskQueues.SOURCE_2, second.run()))
          .append("); nothing is tested, signed or published. First differing entries:");
      differing.forEach((name, why) -> reason.append("\n  ").append(name).append(": ").append(why));
      return reason.append("\nretry builds them again; abort ends the release").toString();
    }

    BuildAgreement agreement() {
      return new BuildAgreement(List.of(
          new BuildAgreement.Builder(TaskQueues.SOURCE, workers(first.run(), firstSboms.run())),
          new BuildAgreement.Builder(TaskQueues.SOURCE_2, List.of(second.run().worker()))),
          firstFiles().stream().map(ArtifactRef::name).toList());
    }

    String describe() {
      if (disagreement() != null) {
        return "the builders disagree";
      }
      return firstFiles().size() + " file(s) byte-identical from both builders ("
          + builder(TaskQueues.SOURCE, first.run()) + "; " + builder(TaskQueues.SOURCE_2, second.run()) + ")";
    }

    /** Both builders' calls as one run: both workers, one after the other. */
    @Override
    public StageRun run() {
      return new StageRun(String.join(", ", workers(firstSboms.run(), second.run())),
          Math.max(firstSboms.run().attempt(), second.run().attempt()),
          firstSboms.run().millis() + second.run().millis(), false);
    }

    @Override
    public Builds withRun(StageRun run) {
      return this;
    }

    @Override
    public List<ArtifactRef> artifacts() {
      return Stream.concat(firstSboms.artifacts().stream(), second.artifacts().stream()).toList();
    }

    private static List<String> workers(StageRun... runs) {
      return Stream.of(runs).map(StageRun::worker).distinct().toList();
    }

    private static String builder(String queue, StageRun run) {
      return run.worker() + " on " + queue;
    }
  }
}
