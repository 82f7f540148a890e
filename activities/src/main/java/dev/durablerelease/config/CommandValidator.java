package dev.durablerelease.config;

import dev.durablerelease.spec.CommandSpec;
import dev.durablerelease.spec.DocsSpec;
import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.spec.SourceSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code test} and {@code docs} sections: the command, its time limit, environment and sandbox limits. */
final class CommandValidator {
  static final String DEFAULT_TIMEOUT = "30m";
  /** The smallest work folder a command's file system image can be. */
  static final long MIN_DISK = 16L << 20;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> RESERVED_ENV = Set.of("PATH", "HOME", "LANG");

  private final Findings findings;
  private final VersionValidator versions;

  CommandValidator(Findings findings, VersionValidator versions) {
    this.findings = findings;
    this.versions = versions;
  }

  CommandSpec test(CommandSpec raw) {
    CommandSpec command = command(raw, "/test");
    return new CommandSpec(command.command(), command.timeout(), command.env(), command.skippable(),
        command.limits(), versions.when(raw.when(), "/test/when", false));
  }

  DocsSpec docs(DocsSpec raw) {
    CommandSpec command = command(
        new CommandSpec(raw.command(), raw.timeout(), raw.env(), raw.skippable(), raw.limits()), "/docs");
    List<String> outputs = raw.outputs() == null ? List.of() : List.copyOf(raw.outputs());
    if (outputs.isEmpty()) {
      findings.error("/docs/outputs", "missing; list the folders the docs command produces, e.g. [doc/_build/html]");
    }
    for (int i = 0; i < outputs.size(); i++) {
      String out = outputs.get(i);
      if (out == null || out.isBlank() || out.startsWith("/") || Arrays.asList(out.split("/")).contains("..")) {
        findings.error("/docs/outputs/" + i, "\"" + out + "\" must be a relative folder inside the source tree");
      }
    }
    List<String> formats =
        findings.formats(raw.formats(), List.of("tar.gz"), SourceValidator.FORMATS, "/docs/formats");
    return new DocsSpec(command.command(), outputs, formats, command.timeout(), command.skippable(), command.env(),
        command.limits(), versions.when(raw.when(), "/docs/when", true));
  }

  private CommandSpec command(CommandSpec raw, String at) {
    String command = raw.command();
    if (command == null || command.isBlank()) {
      findings.error(at + "/command", "missing; give the shell command to run, e.g. make test");
    }
    String timeout = findings.duration(raw.timeout(), at + "/timeout", DEFAULT_TIMEOUT);
    return new CommandSpec(command, timeout, env(raw.env(), at + "/env"), raw.skippable() != null && raw.skippable(),
        limits(raw.limits(), at + "/limits"));
  }

  /** What the command asks for; the operator's ceilings, checked on the worker that runs it, cap it. */
  private LimitsSpec limits(LimitsSpec raw, String at) {
    if (raw == null) {
      return null;
    }
    findings.size(raw.memory(), at + "/memory", "8GiB");
    findings.size(raw.fileSize(), at + "/fileSize", "4GiB");
    findings.size(raw.tmp(), at + "/tmp", "1GiB");
    findings.size(raw.disk(), at + "/disk", "20GiB");
    if (raw.disk() != null && SourceSpec.parseSize(raw.disk()) > 0 && SourceSpec.parseSize(raw.disk()) < MIN_DISK) {
      findings.error(at + "/disk", "\"" + raw.disk() + "\" is too small to hold a file system; give at least 16MiB");
    }
    if (raw.processes() != null && raw.processes() < 1) {
      findings.error(at + "/processes", raw.processes() + " is not a number of processes; write e.g. 1024");
    }
    return raw;
  }

  private Map<String, String> env(Map<String, String> env, String at) {
    if (env == null) {
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    env.forEach((name, value) -> {
      if (!ENV_NAME.matcher(name).matches()) {
        findings.error(at + "/" + name, "\"" + name + "\" is not a valid environment variable name");
      } else if (RESERVED_ENV.contains(name)) {
        findings.error(at + "/" + name, name + " is set by the engine and cannot be overridden");
      } else if (RefusedVariables.why(name).isPresent()) {
        findings.error(at + "/" + name, RefusedVariables.why(name).get());
      } else {
        result.put(name, value == null ? "" : value);
      }
    });
    return result;
  }
}
