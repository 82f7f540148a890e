package dev.durablerelease.cli;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.store.LocalArtifactStore;
import dev.durablerelease.worker.TemporalConnection;
import dev.durablerelease.worker.WorkerPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where release files and this worker's scratch files live. */
class StoreOptions {
  @Option(names = "--store", paramLabel = "DIR",
      description = "artifact store (default $DURABLE_RELEASE_STORE or ~/.local/share/durable-release/store)")
  Path store;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "this worker's git cache and scratch folder (default ~/.cache/durable-release/work)")
  Path workDir;

  WorkerContext context(Map<String, String> env) throws IOException {
    Path storeDir = store != null ? store : WorkerPaths.defaultStore(env);
    Path work = workDir != null ? workDir : WorkerPaths.defaultWorkDir(env);
    Files.createDirectories(work);
    return new WorkerContext(new LocalArtifactStore(storeDir), work.toAbsolutePath(), TemporalConnection.identity());
  }
}
