package dev.durablerelease.cli;

/** Exit codes of the {@code release} command. */
final class ExitCodes {
  static final int OK = 0;
  /** The release ran and failed (a stage failed); the reason is on stderr. */
  static final int RELEASE_FAILED = 1;
  /**
   * The command could not do its work: no Temporal server at TEMPORAL_ADDRESS, no worker serving the workflow queue,
   * or an unexpected failure; the reason and what to do are on stderr.
   */
  static final int UNAVAILABLE = 1;
  /** {@code release verify}: at least one file did not verify; the table says which. */
  static final int VERIFICATION_FAILED = 1;
  /** The command was given something unusable (bad spec, bad option); nothing was started. */
  static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
