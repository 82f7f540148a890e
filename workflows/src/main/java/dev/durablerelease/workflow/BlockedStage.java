package dev.durablerelease.workflow;

/**
 * A stage waiting for an operator after a failure a retry could not fix.
 *
 * @param stage the stage id
 * @param reason the failure
 * @param skippable whether {@code skip} is allowed for it
 * @param skipStatement when the operator's policy wants skips signed: the exact text to sign for skipping it
 * @param failureType the failure's type ({@link dev.durablerelease.activity.Failures}); {@code AlreadyPublished} is one
 *     no retry or resume can change, since a published file is never replaced
 */
public record BlockedStage(String stage, String reason, boolean skippable, String skipStatement, String failureType) {

  public BlockedStage(String stage, String reason, boolean skippable) {
    this(stage, reason, skippable, null, null);
  }

  /** The same blocked stage, with the text an operator signs to skip it. */
  public BlockedStage withSkipStatement(String statement) {
    return new BlockedStage(stage, reason, skippable, statement, failureType);
  }
}
