package dev.durablerelease.activities;

import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.store.ArtifactStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every activity of a worker process shares.
 *
 * @param store the artifact store
 * @param workDir this worker's own scratch folder (git cache); never shared between hosts. Commands run in folders
 *     of their own that the sandbox user can reach ({@link CommandRunner#newRunFolder})
 * @param identity the worker's identity as recorded in the checklist and provenance
 * @param commands how project code (tests, docs) runs: sandboxed unless the worker was started with
 *     {@code --unsafe-no-sandbox}
 * @param policy the operator's policy, as far as this worker's domains read it
 */
public record WorkerContext(ArtifactStore store, Path workDir, String identity, CommandRunner commands,
    Policy policy) {

  /** A worker that sandboxes project code, under the built-in dev policy (no targets). */
  public WorkerContext(ArtifactStore store, Path workDir, String identity) {
    this(store, workDir, identity, CommandRunner.sandboxed(), Policy.builtInDev(Map.of()));
  }

  public WorkerContext withCommands(CommandRunner runner) {
    return new WorkerContext(store, workDir, identity, runner, policy);
  }

  public WorkerContext withPolicy(Policy newPolicy) {
    return new WorkerContext(store, workDir, identity, commands, newPolicy);
  }
}
