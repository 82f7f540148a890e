package dev.durablerelease.command;

/** A worker meant to sandbox project code cannot start bubblewrap; the message says why and what to do. */
public class SandboxUnavailableException extends IllegalStateException {
  public SandboxUnavailableException(String message) {
    super(message);
  }
}
