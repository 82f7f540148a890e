package dev.durablerelease.worker;

import io.temporal.testing.TestWorkflowEnvironment;

/** Temporal's in-memory test server, prepared as every release server must be: search attributes registered. */
public final class ReleaseTestEnvironment {
  private ReleaseTestEnvironment() {}

  public static TestWorkflowEnvironment create() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    SearchAttributes.register(env.getWorkflowServiceStubs(), env.getNamespace());
    return env;
  }
}
