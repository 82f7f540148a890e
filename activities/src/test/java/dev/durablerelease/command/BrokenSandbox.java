package dev.durablerelease.command;

/** For tests elsewhere: a runner on a host whose bubblewrap does not start (here: a binary that is not there). */
public final class BrokenSandbox {
  private BrokenSandbox() {}

  public static CommandRunner runner() {
    return new CommandRunner(true, "/nonexistent/bwrap");
  }
}
