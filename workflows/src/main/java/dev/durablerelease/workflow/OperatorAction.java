package dev.durablerelease.workflow;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Argument of the {@code retry}, {@code skip}, {@code abort} and {@code approve} updates, e.g. from the Temporal CLI:
 * {@code temporal workflow update execute --name skip --input '{"stage": "buildDocs", "operator": "alice"}'}.
 *
 * @param stage the stage acted on; needed when more than one stage is blocked, and for skip
 * @param operator who acts (recorded in the manifest and provenance)
 * @param note why, in a few words
 * @param unknownFields fields the engine does not know; the update is refused naming them
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OperatorAction(
    String stage, String operator, String note, @JsonAnySetter @JsonAnyGetter Map<String, Object> unknownFields) {

  public OperatorAction(String stage, String operator, String note) {
    this(stage, operator, note, Map.of());
  }
}
