package dev.durablerelease.archive;

import java.util.List;
import org.eclipse.jgit.ignore.FastIgnoreRule;

/** Git-style exclusion patterns ({@code .gitignore} syntax, JGit's matcher): the last matching rule decides. */
public final class ExcludeRules {
  private final List<FastIgnoreRule> rules;

  public ExcludeRules(List<String> patterns) {
    rules = patterns.stream().map(FastIgnoreRule::new).toList();
  }

  /**
   * Whether a path relative to the repository root is left out. Callers walk the tree from the top and skip excluded
   * folders, so only the path itself needs checking (as in git, a file in an excluded folder cannot be re-included).
   */
  public boolean excludes(String path, boolean directory) {
    boolean excluded = false;
    for (FastIgnoreRule rule : rules) {
      if (rule.isMatch(path, directory)) {
        excluded = rule.getResult();
      }
    }
    return excluded;
  }
}
