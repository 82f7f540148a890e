package dev.durablerelease.spec;

import java.util.List;
import java.util.Map;

/**
 * A project command (the test suite) run on the unpacked source archive.
 *
 * @param command a shell command line, run with {@code sh -c} in the archive's top folder
 * @param timeout wall-clock limit, e.g. {@code 30m}
 * @param env the only variables the command sees besides PATH, HOME and LANG
 * @param skippable whether an operator may skip this stage when it is blocked
 * @param limits the sandbox's resource limits, where the defaults do not fit
 * @param when the release levels it runs for ({@link ReleaseLevel#id}), e.g. {@code [rc, final]}; empty: always
 */
public record CommandSpec(String command, String timeout, Map<String, String> env, Boolean skippable,
    LimitsSpec limits, List<String> when) {

  public CommandSpec {
    when = when == null ? List.of() : when;
  }

  public CommandSpec(String command, String timeout, Map<String, String> env, Boolean skippable, LimitsSpec limits) {
    this(command, timeout, env, skippable, limits, null);
  }
}
