package dev.durablerelease.cli;

/** Something the user gave that cannot be used; printed as one line, exit code 2, nothing started. */
class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserError(String message) {
    super(message);
  }
}
