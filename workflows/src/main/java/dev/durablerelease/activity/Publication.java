package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * A finished publication.
 *
 * @param targets the target URLs, each holding every file of the release (on a dry run: that would hold them)
 * @param filesWritten files published in this run (0 when a re-run found everything already published)
 * @param run how the activity ran
 * @param dryRun whether this was a dry run: staged and verified, nothing published
 * @param filesAlreadyPublished files a target already held with the same digest, left alone
 * @param filesResumed files an earlier attempt had already staged and verified, not sent again
 * @param wouldPublish on a dry run, the URL of every file a real run would publish
 */
public record Publication(List<String> targets, int filesWritten, StageRun run, boolean dryRun,
    int filesAlreadyPublished, int filesResumed, List<String> wouldPublish) implements StageOutput {

  @Override
  public Publication withRun(StageRun newRun) {
    return new Publication(targets, filesWritten, newRun, dryRun, filesAlreadyPublished, filesResumed, wouldPublish);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    return List.of();
  }

  /** One line for the checklist. */
  public String describe() {
    if (dryRun) {
      return "dry run: " + wouldPublish.size() + " file(s) staged, verified and removed on " + targets.size()
          + " target(s); nothing published";
    }
    return filesWritten + " file(s) written to " + targets.size() + " target(s)"
        + (filesAlreadyPublished > 0 ? ", " + filesAlreadyPublished + " already there" : "");
  }
}
