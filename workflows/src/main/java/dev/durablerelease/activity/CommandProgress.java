package dev.durablerelease.activity;

/**
 * Heartbeat detail of a running project command.
 *
 * @param elapsedMillis how long the command has run
 * @param logTail its last output lines
 * @param logBytes how much output it has written so far
 */
public record CommandProgress(long elapsedMillis, String logTail, long logBytes) {}
