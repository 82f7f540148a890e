package dev.durablerelease.workflow;

/** Result of a stage's activity: says how the activity ran, for the checklist and the manifest. */
public interface StageOutput {
  StageRun run();
}
