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
 * @param operator who says they act, recorded as such; an approval records the approver its signature proves instead
 * @param note why, in a few words
 * @param signature for decisions the operator's policy wants signed (approve; skip where the policy says so): the
 *     armored SSH signature ({@code ssh-keygen -Y sign -n durable-release-decision@durablerelease.dev}) over the
 *     statement the {@code status} query gives
 * @param automatic whether a program decided, not a person (e.g. {@code release run} with no terminal to ask); the
 *     release then says so instead of naming the operator as the one who decided
 * @param unknownFields fields the engine does not know; the update is refused naming them
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OperatorAction(String stage, String operator, String note, String signature,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean automatic,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> unknownFields) {

  public OperatorAction(String stage, String operator, String note) {
    this(stage, operator, note, null, false, Map.of());
  }

  public OperatorAction(String stage, String operator, String note, String signature) {
    this(stage, operator, note, signature, false, Map.of());
  }

  /** A decision a program takes on its own, on behalf of {@code operator} (who ran it). */
  public static OperatorAction automatic(String stage, String operator, String note) {
    return new OperatorAction(stage, operator, note, null, true, Map.of());
  }
}
