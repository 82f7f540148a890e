package dev.durablerelease.contract;

/** Where one stage of a release stands. */
public enum StageState {
  PENDING,
  RUNNING,
  /** Waiting for an operator's approval (the approval gate). */
  WAITING,
  SUCCEEDED,
  /** Taken from an earlier run of the same release whose inputs were identical (resume). */
  REUSED,
  /** Failed in a way a retry cannot fix; waiting for retry, skip or abort. */
  BLOCKED,
  /** Skipped by an operator after it blocked. */
  SKIPPED,
  /** Failed and the release ended (aborted). */
  FAILED,
  /** Stopped because the release was aborted while it ran. */
  CANCELLED,
  /** The spec does not configure this stage; it was not run and nothing was faked in its place. */
  NOT_CONFIGURED;

  /** Whether the stage is over and produced what later stages need. */
  public boolean isDone() {
    return this == SUCCEEDED || this == REUSED || this == SKIPPED || this == NOT_CONFIGURED;
  }
}
