package dev.durablerelease.workflow;

/** Where a release as a whole stands; {@link #label()} is the value of the {@code ReleaseStatus} search attribute. */
public enum ReleaseState {
  RUNNING("Running"),
  WAITING_FOR_APPROVAL("WaitingForApproval"),
  /** A stage failed in a way a retry cannot fix; an operator must retry, skip or abort. */
  BLOCKED("Blocked"),
  SUCCEEDED("Succeeded"),
  /** Ended by an operator's abort; nothing was published. */
  ABORTED("Aborted"),
  /** Ended by something else (invalid input, the workflow cancelled). */
  FAILED("Failed");

  private final String label;

  ReleaseState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean isFinal() {
    return this == SUCCEEDED || this == ABORTED || this == FAILED;
  }
}
