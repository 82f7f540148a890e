package dev.durablerelease.contract;

import java.util.List;

/** Result of a stage's activity: says how the activity ran, and which stored files it refers to. */
public interface StageOutput {
  StageRun run();

  /** The same result, as run differently (a reused result gets the reusing attempt's run). */
  StageOutput withRun(StageRun run);

  /** Every stored file the result refers to; a result is reusable only while all of them are in the store. */
  List<ArtifactRef> artifacts();
}
