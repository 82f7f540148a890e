package dev.durablerelease.spec;

import java.util.List;
import java.util.Map;

/**
 * The documentation build, run on the unpacked source archive like the tests.
 *
 * @param command a shell command line, run with {@code sh -c} in the archive's top folder
 * @param outputs folders (relative to the archive's top folder) that the command produces; each becomes an archive
 * @param formats archive formats of each output folder
 * @param timeout wall-clock limit, e.g. {@code 45m}
 * @param skippable whether an operator may skip this stage when it is blocked
 * @param env the only variables the command sees besides PATH, HOME and LANG
 * @param limits the sandbox's resource limits, where the defaults do not fit
 * @param when the release levels it runs for ({@link ReleaseLevel#id}), e.g. {@code [rc, final]}; empty: always
 */
public record DocsSpec(
    String command,
    List<String> outputs,
    List<String> formats,
    String timeout,
    Boolean skippable,
    Map<String, String> env,
    LimitsSpec limits,
    List<String> when) {

  public DocsSpec {
    when = when == null ? List.of() : when;
  }

  public DocsSpec(String command, List<String> outputs, List<String> formats, String timeout, Boolean skippable,
      Map<String, String> env, LimitsSpec limits) {
    this(command, outputs, formats, timeout, skippable, env, limits, null);
  }
}
