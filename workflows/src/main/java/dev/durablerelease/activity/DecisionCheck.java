package dev.durablerelease.activity;

/**
 * A signed decision to verify on the sign worker against the approvers its policy lists for the project.
 *
 * @param project the project whose approvers count
 * @param statement the exact text the operator was asked to sign
 * @param signature the armored SSH signature sent with the update
 */
public record DecisionCheck(String project, String statement, String signature) {}
