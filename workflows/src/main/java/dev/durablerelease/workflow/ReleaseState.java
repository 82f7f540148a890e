package dev.durablerelease.workflow;

/** Where a release as a whole stands. */
public enum ReleaseState {
  RUNNING,
  SUCCEEDED,
  FAILED
}
