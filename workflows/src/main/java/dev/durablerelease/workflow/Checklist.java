package dev.durablerelease.workflow;

import dev.durablerelease.contract.Stage;
import dev.durablerelease.contract.StageRun;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.contract.StageStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The release's checklist as workflow state: what the status query answers and the manifest records. */
final class Checklist {
  private static final Set<StageState> CURRENT = Set.of(StageState.RUNNING, StageState.BLOCKED, StageState.WAITING);

  /** How the checklist, release.json and the provenance show a stage the version's level gated out. */
  static final String PRE_RELEASE_SKIP = "skipped (pre-release)";

  private final List<StageStatus> stages = new ArrayList<>();

  Checklist() {
    for (Stage stage : Stage.values()) {
      stages.add(StageStatus.pending(stage));
    }
  }

  void start(Stage stage, long now) {
    update(stage, s -> new StageStatus(s.stage(), StageState.RUNNING, s.attempts() + 1,
        s.startedAt() == 0 ? now : s.startedAt(), 0, null, 0, null));
  }

  void succeed(Stage stage, long now, StageRun run, String detail) {
    StageState state = run.reused() ? StageState.REUSED : StageState.SUCCEEDED;
    update(stage, s -> new StageStatus(s.stage(), state, Math.max(s.attempts(), run.attempt()), s.startedAt(), now,
        run.worker(), run.millis(), detail, run.sandbox()));
  }

  void block(Stage stage, long now, String reason) {
    end(stage, StageState.BLOCKED, now, reason);
  }

  void skip(Stage stage, long now, String detail) {
    end(stage, StageState.SKIPPED, now, detail);
  }

  void fail(Stage stage, long now, String reason) {
    end(stage, StageState.FAILED, now, reason);
  }

  void cancel(Stage stage, long now) {
    end(stage, StageState.CANCELLED, now, "cancelled: the release was aborted");
  }

  void waitFor(Stage stage, long now) {
    update(stage, s -> new StageStatus(s.stage(), StageState.WAITING, s.attempts(),
        s.startedAt() == 0 ? now : s.startedAt(), 0, null, 0, "waiting for approval"));
  }

  void approve(Stage stage, long now, String detail) {
    end(stage, StageState.SUCCEEDED, now, detail);
  }

  /** A stage whose output a run took from the release its targets already hold. */
  void published(Stage stage, long now, String detail) {
    update(stage, s -> new StageStatus(s.stage(), StageState.REUSED, s.attempts(), now, now, null, 0, detail));
  }

  /** A stage the version's level is not one it runs for: it was skipped, not left unconfigured. */
  void skipForPreRelease(Stage stage, long now, String why) {
    update(stage, s -> new StageStatus(s.stage(), StageState.SKIPPED, 0, now, now, null, 0,
        PRE_RELEASE_SKIP + ": " + why));
  }

  void notConfigured(Stage stage) {
    update(stage, s -> new StageStatus(s.stage(), StageState.NOT_CONFIGURED, 0, 0, 0, null, 0, "not configured"));
  }

  StageState state(Stage stage) {
    return stages.get(stage.ordinal()).state();
  }

  /** The stages running, blocked or waiting now (several while tests and docs run side by side), or null. */
  String current() {
    String current = stages.stream()
        .filter(s -> CURRENT.contains(s.state()))
        .map(StageStatus::stage)
        .collect(Collectors.joining(", "));
    return current.isEmpty() ? null : current;
  }

  List<StageStatus> snapshot() {
    return List.copyOf(stages);
  }

  private void end(Stage stage, StageState state, long now, String detail) {
    update(stage, s -> new StageStatus(s.stage(), state, s.attempts(), s.startedAt(), now, s.worker(),
        s.activityMillis(), detail, s.sandbox()));
  }

  private void update(Stage stage, UnaryOperator<StageStatus> change) {
    int i = stage.ordinal();
    stages.set(i, change.apply(stages.get(i)));
  }
}
