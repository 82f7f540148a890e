package dev.durablerelease.contract;

/**
 * An operator's decision, as the release records it.
 *
 * @param action retry, skip, abort or approve
 * @param stage the stage it applied to
 * @param operator who decided
 * @param note why
 * @param at epoch milliseconds (workflow time)
 */
public record OperatorEvent(String action, String stage, String operator, String note, long at) {}
