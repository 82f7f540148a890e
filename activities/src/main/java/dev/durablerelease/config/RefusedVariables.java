package dev.durablerelease.config;

import java.util.Optional;
import java.util.Set;

/**
 * Environment variables a spec may not give a command: those that make the dynamic loader, the C library or a shell
 * load code or read files before the command's own first line runs. A command may still set any of them for itself
 * ({@code export LD_LIBRARY_PATH=…; make test}); the engine only refuses to pass them along.
 */
final class RefusedVariables {
  /** glibc's secure-execution list (sysdeps/generic/unsecvars.h) without its LD_ names, which the prefix covers. */
  private static final Set<String> C_LIBRARY = Set.of("GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES",
      "LOCALDOMAIN", "LOCPATH", "MALLOC_TRACE", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR",
      "TZDIR");
  /** Files sh, bash, ksh and zsh run at start-up, options they take from the environment, and what xtrace runs. */
  private static final Set<String> SHELL_START_UP = Set.of("ENV", "BASH_ENV", "BASHOPTS", "SHELLOPTS", "PS4", "IFS",
      "CDPATH", "GLOBIGNORE", "FPATH", "ZDOTDIR");

  private RefusedVariables() {}

  /** Why the spec may not set this variable, or empty when it may. */
  static Optional<String> why(String name) {
    String reason;
    if (name.startsWith("LD_")) {
      reason = "the dynamic loader reads LD_* variables, which can load code into every program that starts";
    } else if (C_LIBRARY.contains(name)) {
      reason = "the C library reads it to load modules or files (glibc drops it for privileged programs)";
    } else if (SHELL_START_UP.contains(name)) {
      reason = "shells read it at start-up, which can run code before the command";
    } else {
      return Optional.empty();
    }
    return Optional.of(name + " is refused: " + reason + "; if the command needs it, set it in the command itself"
        + " (export " + name + "=…; …)");
  }
}
