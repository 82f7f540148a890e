package dev.durablerelease.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An operator's decision, as the release records it.
 *
 * @param action retry, skip, abort or approve
 * @param stage the stage it applied to
 * @param operator who decided, or on whose behalf a program decided
 * @param note why
 * @param at epoch milliseconds (workflow time)
 * @param automatic whether a program decided on its own (no terminal to ask), not a person
 */
public record OperatorEvent(String action, String stage, String operator, String note, long at,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean automatic) {

  /** Who decided, as a sentence part: "by alice", or "automatically (for alice)". */
  public String by() {
    return automatic ? "automatically (for " + operator + ")" : "by " + operator;
  }
}
