package dev.durablerelease.cli;

/** Exit codes of the {@code release} command. */
final class ExitCodes {
  static final int OK = 0;
  /** The release ran and failed (a stage failed); the reason is on stderr. */
  static final int RELEASE_FAILED = 1;
  /** {@code release verify}: at least one file did not verify; the table says which. */
  static final int VERIFICATION_FAILED = 1;
  /** The command was given something unusable (bad spec, bad option); nothing was started. */
  static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
