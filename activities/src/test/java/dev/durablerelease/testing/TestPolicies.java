package dev.durablerelease.testing;

import dev.durablerelease.config.ConfigException;
import dev.durablerelease.config.PolicyLoader;
import dev.durablerelease.policy.Domain;
import dev.durablerelease.policy.Policy;

/** Operator policies for tests, written as operators write them: YAML, read for every domain. */
public final class TestPolicies {
  private TestPolicies() {}

  /** The policy in this YAML text; a test's own policy must be valid, so a mistake in it fails the test at once. */
  public static Policy of(String yaml) {
    try {
      return PolicyLoader.parse(yaml, "test-policy.yaml", Domain.ALL);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
