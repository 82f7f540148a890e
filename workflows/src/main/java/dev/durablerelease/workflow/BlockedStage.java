package dev.durablerelease.workflow;

/**
 * A stage waiting for an operator after a failure a retry could not fix.
 *
 * @param stage the stage id
 * @param reason the failure
 * @param skippable whether {@code skip} is allowed for it
 * @param skipStatement when the operator's policy wants skips signed: the exact text to sign for skipping it
 */
public record BlockedStage(String stage, String reason, boolean skippable, String skipStatement) {

  public BlockedStage(String stage, String reason, boolean skippable) {
    this(stage, reason, skippable, null);
  }
}
