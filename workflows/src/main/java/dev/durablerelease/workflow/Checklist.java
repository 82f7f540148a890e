package dev.durablerelease.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The release's checklist as workflow state: what the status query answers and the manifest records. */
final class Checklist {
  private final List<StageStatus> stages = new ArrayList<>();

  Checklist() {
    for (Stage stage : Stage.values()) {
      stages.add(StageStatus.pending(stage));
    }
  }

  void start(Stage stage, long now) {
    update(stage, s -> new StageStatus(s.stage(), StageState.RUNNING, s.attempts() + 1, now, 0, null, null));
  }

  void succeed(Stage stage, long now, StageRun run, String detail) {
    update(stage, s -> new StageStatus(
        s.stage(), StageState.SUCCEEDED, run.attempt(), s.startedAt(), now, run.worker(), detail));
  }

  void fail(Stage stage, long now, String reason) {
    update(stage, s -> new StageStatus(
        s.stage(), StageState.FAILED, s.attempts(), s.startedAt(), now, s.worker(), reason));
  }

  void notConfigured(Stage stage) {
    update(stage, s -> new StageStatus(s.stage(), StageState.NOT_CONFIGURED, 0, 0, 0, null, "not configured"));
  }

  /** The stages running now (several while tests and docs run side by side), else the one that failed. */
  String current() {
    String running = stages.stream()
        .filter(s -> s.state() == StageState.RUNNING)
        .map(StageStatus::stage)
        .collect(Collectors.joining(", "));
    if (!running.isEmpty()) {
      return running;
    }
    return stages.stream().filter(s -> s.state() == StageState.FAILED).map(StageStatus::stage).findFirst().orElse(null);
  }

  List<StageStatus> snapshot() {
    return List.copyOf(stages);
  }

  private void update(Stage stage, UnaryOperator<StageStatus> change) {
    int i = stage.ordinal();
    stages.set(i, change.apply(stages.get(i)));
  }
}
