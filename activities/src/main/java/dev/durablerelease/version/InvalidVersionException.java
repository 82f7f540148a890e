package dev.durablerelease.version;

/** A version that its scheme does not allow; the message names the scheme's rule. */
public final class InvalidVersionException extends Exception {
  public InvalidVersionException(String message) {
    super(message);
  }
}
