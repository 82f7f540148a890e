package dev.durablerelease.policy;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.StageFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's policy as one worker read it: who may release what, from where, where it goes, who signs and who
 * approves. It is never read from a released repository; each worker binds only the sections of the domains it
 * serves, so a sign host's copy needs no upload credentials and a build host's none at all.
 *
 * @param origin where it came from (a file path, or the built-in dev policy), named in every refusal
 * @param builtIn the built-in dev policy of {@code release run} without a policy file: any repository, dev signing,
 *     no approvals, and only the {@code file://} targets named on the command line
 * @param defaults what every project gets unless its own section says otherwise
 * @param projects the projects that may be released, by name
 * @param targets publish targets by name (upload workers only)
 * @param approvers SSH public keys by approver name (sign workers only)
 */
public record Policy(String origin, boolean builtIn, ProjectPolicy defaults, Map<String, ProjectPolicy> projects,
    Map<String, TargetPolicy> targets, Map<String, String> approvers) {

  public static final String BUILT_IN = "the built-in dev policy";

  /** What {@code release run} uses without a policy file; {@code fileTargets} maps names to folders (file:// URLs). */
  public static Policy builtInDev(Map<String, String> fileTargets) {
    Map<String, TargetPolicy> targets = new TreeMap<>();
    fileTargets.forEach((name, url) ->
        targets.put(name, TargetPolicy.at(url.endsWith("/") ? url : url + "/", List.of("*"))));
    ProjectPolicy dev = new ProjectPolicy(List.of("**"), null,
        new SigningPolicy(SigningPolicy.DEV, null, null, null, null, null), null, null, null);
    return new Policy(BUILT_IN, true, dev, Map.of(), Map.copyOf(targets), Map.of());
  }

  /** What the project may do; refused when the policy does not list it. */
  public ProjectPolicy project(String name) {
    if (builtIn) {
      return defaults;
    }
    ProjectPolicy project = projects.get(name);
    if (project == null) {
      throw refusal("project " + name + " is not in the operator's policy " + origin + "; the operator adds it under"
          + " projects: " + name + ": {repositories: [URL]} (docs/policy.md)");
    }
    return project.over(defaults);
  }

  /** Refuses a repository the project may not be released from. */
  public void requireRepository(String project, String repository) {
    List<String> allowed = repositories(project(project));
    if (!Patterns.matchesAny(allowed, repository)) {
      throw refusal("project " + project + " may not be released from " + repository + ": " + describe()
          + " allows " + (allowed.isEmpty() ? "no repository" : String.join(", ", allowed))
          + "; release it from one of those, or the operator adds this one to projects: " + project
          + ": repositories:");
    }
  }

  /**
   * Refuses, before anything is fetched, a repository no project may be released from: a Temporal client that names
   * an internal host cannot make the source worker fetch from it with its credentials.
   */
  public void requireSomeProjectAllows(String repository) {
    List<String> all = new ArrayList<>(repositories(defaults));
    projects.values().forEach(p -> all.addAll(repositories(p)));
    if (!builtIn && !Patterns.matchesAny(all, repository)) {
      throw refusal("no project may be released from " + repository + " under " + describe()
          + "; the operator adds it to a project's repositories:");
    }
  }

  /** Refuses a submodule URL the project's policy does not list. */
  public void requireSubmodule(String project, String path, String url) {
    SubmodulePolicy submodules = project(project).submodules();
    List<String> allowed = submodules == null ? List.of() : submodules.patterns();
    if (!Patterns.matchesAny(allowed, url)) {
      throw refusal("submodule " + path + " of " + project + " is fetched from " + url + ", which "
          + describe() + " does not allow " + (allowed.isEmpty() ? "(it allows no submodule URL)"
          : "(it allows " + String.join(", ", allowed) + ")") + "; the operator adds it to projects: " + project
          + ": submodules: allow:, or the project changes .gitmodules");
    }
  }

  /** The named target, when it exists and the project may publish there. */
  public TargetPolicy target(String project, String name) {
    TargetPolicy target = targets.get(name);
    if (target == null) {
      String defined = targets.isEmpty() ? "none" : String.join(", ", new TreeMap<>(targets).keySet());
      throw refusal("release of " + project + " asks for target " + name + ", which " + describe()
          + " does not define (it defines " + defined + "); " + (builtIn
              ? "name a folder for it with --target " + name + "=DIR, or give a policy file with --policy"
              : "fix upload: in release.yaml or ask the operator to add it under targets:"));
    }
    if (!target.grantedTo(project)) {
      throw refusal("target " + name + " of " + describe() + " is not granted to project "
          + project + "; the operator adds " + project + " to targets: " + name + ": projects:");
    }
    return target;
  }

  /** How messages name this policy: the operator's file, or the built-in one. */
  public String describe() {
    return builtIn ? BUILT_IN : "the operator's policy " + origin;
  }

  private static List<String> repositories(ProjectPolicy project) {
    return project.repositories() == null ? List.of() : project.repositories();
  }

  private static StageFailure refusal(String message) {
    return new StageFailure(Failures.POLICY_REFUSED, message);
  }
}
