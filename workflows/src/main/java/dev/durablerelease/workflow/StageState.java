package dev.durablerelease.workflow;

/** Where one stage of a release stands. */
public enum StageState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** The spec does not configure this stage; it was not run and nothing was faked in its place. */
  NOT_CONFIGURED
}
