package dev.durablerelease.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One in-process invocation of the {@code release} CLI, with what a terminal would show of it: the command's own
 * output and errors, and {@code log}, the lines logback writes to the process's stdout and stderr meanwhile (the
 * workers of an embedded or in-process server log there too).
 */
record CliRun(int exitCode, String out, String err, String log) {

  static CliRun of(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    int code;
    try {
      System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      code = ReleaseCli.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return new CliRun(code, out.toString(), err.toString(), log.toString(StandardCharsets.UTF_8));
  }

  /** Everything the terminal showed. */
  String all() {
    return out + err + log;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err + "--- log\n" + log;
  }
}
