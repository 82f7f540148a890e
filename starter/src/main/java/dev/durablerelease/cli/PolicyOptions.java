package dev.durablerelease.cli;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.config.ConfigException;
import dev.durablerelease.config.PolicyLoader;
import dev.durablerelease.policy.Domain;
import dev.durablerelease.policy.Policy;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The operator's policy the workers of a command read: a file, or the built-in dev policy. */
class PolicyOptions {
  @Option(names = "--policy", paramLabel = "FILE",
      description = "the operator's policy: who may release what, the publish targets and their credentials, signing,"
          + " approvers, ceilings (default $" + PolicyLoader.ENV + "; see docs/policy.md)")
  Path policy;

  @Option(names = "--target", paramLabel = "NAME=DIR",
      description = "without a policy file: a folder on this machine that the built-in dev policy offers as the"
          + " publish target NAME (for upload: [NAME] in release.yaml); repeatable")
  Map<String, Path> targets;

  /**
   * The policy for workers serving these domains: the file given, or the built-in dev policy when there is none and
   * {@code devAllowed}.
   */
  Policy load(Map<String, String> env, Set<Domain> domains, boolean devAllowed) throws IOException, ConfigException {
    Path file = policy != null ? policy : pathOf(env.get(PolicyLoader.ENV));
    if (file == null) {
      if (!devAllowed) {
        throw new UserError("a worker needs the operator's policy: --policy FILE (or $" + PolicyLoader.ENV + ");"
            + " to try things on one machine, --dev-policy uses the built-in one (dev signing, no targets)");
      }
      Map<String, String> folders = new TreeMap<>();
      if (targets != null) {
        targets.forEach((name, dir) -> folders.put(name, dir.toAbsolutePath().normalize().toUri().toString()));
      }
      return Policy.builtInDev(folders);
    }
    if (targets != null) {
      throw new UserError("--target names folders for the built-in dev policy; with a policy file, targets are its"
          + " targets: section");
    }
    try {
      return PolicyLoader.load(file, domains);
    } catch (NoSuchFileException e) {
      throw new UserError("policy file " + file + " does not exist");
    }
  }

  WorkerContext apply(WorkerContext context, Map<String, String> env, Set<Domain> domains, boolean devAllowed)
      throws IOException, ConfigException {
    return context.withPolicy(load(env, domains, devAllowed));
  }

  private static Path pathOf(String value) {
    return value == null || value.isBlank() ? null : Path.of(value);
  }
}
