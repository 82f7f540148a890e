package dev.durablerelease.activities;

import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.store.ArtifactStore;
import java.nio.file.Path;

/**
 * What every activity of a worker process shares.
 *
 * @param store the artifact store
 * @param workDir this worker's own scratch folder (git cache); never shared between hosts. Commands run in folders
 *     of their own that the sandbox user can reach ({@link CommandRunner#newRunFolder})
 * @param identity the worker's identity as recorded in the checklist and provenance
 * @param commands how project code (tests, docs) runs: sandboxed unless the worker was started with
 *     {@code --unsafe-no-sandbox}
 */
public record WorkerContext(ArtifactStore store, Path workDir, String identity, CommandRunner commands) {

  /** A worker that sandboxes project code. */
  public WorkerContext(ArtifactStore store, Path workDir, String identity) {
    this(store, workDir, identity, CommandRunner.sandboxed());
  }

  public WorkerContext withCommands(CommandRunner runner) {
    return new WorkerContext(store, workDir, identity, runner);
  }
}
