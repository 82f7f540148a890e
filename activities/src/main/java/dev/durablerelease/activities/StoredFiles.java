package dev.durablerelease.activities;

import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Release files an activity writes: made in the worker's scratch folder, then stored by digest. */
final class StoredFiles {
  private StoredFiles() {}

  /** A fresh scratch file whose name ends with {@code name}, in the worker's own folder. */
  static Path scratchFile(WorkerContext context, String name) throws IOException {
    Path dir = Files.createDirectories(context.workDir().resolve("tmp"));
    return Files.createTempFile(dir, "", "-" + name);
  }

  /** A fresh scratch folder whose name ends with {@code name}, in the worker's own folder. */
  static Path scratchFolder(WorkerContext context, String name) throws IOException {
    Path dir = Files.createDirectories(context.workDir().resolve("tmp"));
    return Files.createTempDirectory(dir, name + "-");
  }

  /** Stores bytes as a release file named {@code name}. */
  static ArtifactRef put(WorkerContext context, String name, byte[] content, ArtifactKind kind) throws IOException {
    Path tmp = scratchFile(context, name);
    try {
      Files.write(tmp, content);
      return context.store().put(tmp, name, kind);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
