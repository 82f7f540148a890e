package dev.durablerelease.activity;

/**
 * Heartbeat detail of a running project command.
 *
 * @param elapsedMillis how long the command has run
 * @param logTail its last output lines
 */
public record CommandProgress(long elapsedMillis, String logTail) {}
