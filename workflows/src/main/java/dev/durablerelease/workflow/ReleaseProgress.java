package dev.durablerelease.workflow;

import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.Stage;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where the release stands: the checklist, the blocked stages, the operators' decisions and how it ended. It is what
 * the {@code status} query answers, and it keeps the search attributes and the Temporal UI's current-details line in
 * step.
 */
final class ReleaseProgress {
  private final Checklist checklist = new Checklist();
  /** In checklist order, whatever order they blocked in. */
  private final Map<Stage, BlockedStage> blocked = new EnumMap<>(Stage.class);
  private final List<OperatorEvent> operatorEvents = new ArrayList<>();
  /** Last value upserted per search attribute: every upsert is a history event, so only changes are sent. */
  private final Map<String, Object> searchAttributes = new HashMap<>();
  private String project;
  private String version;
  private boolean awaitingApproval;
  /** Set once the release has ended; until then the state follows from what is blocked or awaited. */
  private ReleaseState endState;

  Checklist checklist() {
    return checklist;
  }

  void name(String project, String version) {
    this.project = project;
    this.version = version;
  }

  String project() {
    return project;
  }

  String version() {
    return version;
  }

  void block(Stage stage, String reason, boolean skippable, String failureType) {
    blocked.put(stage, new BlockedStage(stage.id(), reason, skippable, null, failureType));
  }

  void unblock(Stage stage) {
    blocked.remove(stage);
  }

  /** The blocked stage of that id, or null. */
  BlockedStage blocked(Stage stage) {
    return blocked.get(stage);
  }

  List<Stage> blockedStages() {
    return List.copyOf(blocked.keySet());
  }

  void awaitingApproval(boolean waiting) {
    awaitingApproval = waiting;
  }

  boolean awaitsApproval() {
    return awaitingApproval || blocked.containsKey(Stage.APPROVAL);
  }

  void record(OperatorEvent event) {
    operatorEvents.add(event);
  }

  List<OperatorEvent> operatorEvents() {
    return List.copyOf(operatorEvents);
  }

  boolean hasEnded() {
    return endState != null;
  }

  /** Ends the release: stages still blocked fail with their reason, and the UI shows the end line. */
  void end(ReleaseState finalState, String line) {
    end(finalState, line, null);
  }

  /** @param how what ended the blocked stages, after their reason (e.g. "aborted by alice"), or null */
  void end(ReleaseState finalState, String line, String how) {
    endState = finalState;
    for (Map.Entry<Stage, BlockedStage> stage : blocked.entrySet()) {
      checklist.fail(stage.getKey(), Workflow.currentTimeMillis(), stage.getValue().reason()
          + (how == null ? "" : "; " + how));
    }
    show();
    Workflow.setCurrentDetails(line);
  }

  ReleaseState state() {
    if (endState != null) {
      return endState;
    }
    if (!blocked.isEmpty()) {
      return ReleaseState.BLOCKED;
    }
    return awaitingApproval ? ReleaseState.WAITING_FOR_APPROVAL : ReleaseState.RUNNING;
  }

  /**
   * @param approval the gate, while the release waits there
   * @param skipStatement the text to sign for skipping a blocked stage, or null where skips need no signature
   */
  ReleaseStatus status(ApprovalStatus approval, UnaryOperator<String> skipStatement) {
    List<BlockedStage> stages = blocked.values().stream()
        .map(b -> b.skippable() ? b.withSkipStatement(skipStatement.apply(b.stage())) : b)
        .toList();
    return new ReleaseStatus(project, version, state(), checklist.current(), detail(), checklist.snapshot(), stages,
        approval, operatorEvents());
  }

  /** Keeps the search attributes and the UI's current-details line in step with the checklist. */
  void show() {
    String stage = checklist.current() == null ? "" : checklist.current();
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    updates.add(ReleaseSearchAttributes.STATUS.valueSet(state().label()));
    updates.add(ReleaseSearchAttributes.STAGE.valueSet(stage));
    if (version != null) {
      updates.add(ReleaseSearchAttributes.VERSION.valueSet(version));
    }
    if (project != null) {
      updates.add(ReleaseSearchAttributes.PROJECT.valueSet(project));
    }
    upsertChanged(updates);
    Workflow.setCurrentDetails(detail());
  }

  /** Upserts only what changed: every upsert is a history event. */
  private void upsertChanged(List<SearchAttributeUpdate<?>> updates) {
    List<SearchAttributeUpdate<?>> changed = new ArrayList<>();
    for (SearchAttributeUpdate<?> update : updates) {
      Object value = update.getValue().orElse(null);
      if (!Objects.equals(searchAttributes.put(update.getKey().getName(), value), value)) {
        changed.add(update);
      }
    }
    if (!changed.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(changed.toArray(SearchAttributeUpdate[]::new));
    }
  }

  String blockedIds() {
    return String.join(", ", blocked.keySet().stream().map(Stage::id).toList());
  }

  private String detail() {
    String name = (project == null ? "" : project + " ") + (version == null ? "" : version);
    return switch (state()) {
      case WAITING_FOR_APPROVAL -> name + ": waiting for approval before provenance, signing and upload";
      case BLOCKED -> name + ": blocked at " + blockedIds() + ": "
          + firstLine(blocked.values().iterator().next().reason()) + " (retry, skip or abort)";
      case RUNNING -> name + ": " + (checklist.current() == null ? "starting" : checklist.current() + " running");
      default -> name + ": " + state().label().toLowerCase(Locale.ROOT);
    };
  }

  static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
