package dev.durablerelease.cli;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.Stores;
import dev.durablerelease.worker.TemporalConnection;
import dev.durablerelease.worker.WorkerPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where release files and this worker's scratch files live. */
class StoreOptions {
  @Option(names = "--store", paramLabel = "DIR_OR_S3_URL",
      description = "artifact store: a folder, or s3://BUCKET/PREFIX[?endpoint=URL&pathStyle=true&region=R&cacheMb=N]"
          + " shared by workers on several hosts (default $DURABLE_RELEASE_STORE or ~/.local/share/durable-release/store)")
  String store;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "this worker's git cache and scratch folder (default ~/.cache/durable-release/work)")
  Path workDir;

  WorkerContext context(Map<String, String> env) throws IOException {
    String location = location(env);
    Path work = workDir(env);
    Files.createDirectories(work);
    ArtifactStore artifacts;
    try {
      artifacts = Stores.open(location, work);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    return new WorkerContext(artifacts, work, TemporalConnection.identity());
  }

  /**
   * Where the dev server a command starts keeps its SQLite file: beside the store, so that the releases' history and
   * their files live and move together ({@code temporal/} in the store folder; in the work folder when the store is a
   * bucket).
   */
  Path serverFolder(Map<String, String> env) {
    String location = location(env);
    Path base = location.startsWith("s3://") ? workDir(env) : Path.of(location);
    return base.toAbsolutePath().resolve("temporal");
  }

  private String location(Map<String, String> env) {
    return store != null ? store : WorkerPaths.defaultStore(env);
  }

  private Path workDir(Map<String, String> env) {
    return (workDir != null ? workDir : WorkerPaths.defaultWorkDir(env)).toAbsolutePath();
  }
}
