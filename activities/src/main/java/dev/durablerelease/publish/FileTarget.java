package dev.durablerelease.publish;

import dev.durablerelease.activities.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.workflow.ArtifactRef;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code file://} target: files are copied into a staging folder beside the public one, checked, then renamed into
 * place one by one in the given order (manifest last). A file already there with the same digest is kept; one with
 * another digest stops the publication before anything is renamed.
 */
public final class FileTarget {
  private final Path directory;
  private final String url;

  public FileTarget(String url) {
    this.url = url;
    this.directory = Path.of(URI.create(url));
  }

  /** Publishes the files; returns how many were newly written. */
  public int publish(ArtifactStore store, List<ArtifactRef> files, String runId) throws IOException {
    Files.createDirectories(directory);
    List<ArtifactRef> missing = new java.util.ArrayList<>();
    for (ArtifactRef file : files) {
      Path published = directory.resolve(file.name());
      if (!Files.exists(published)) {
        missing.add(file);
        continue;
      }
      String existing = Digests.sha256Hex(published);
      if (!existing.equals(file.sha256())) {
        throw new StageFailure(Failures.PUBLISH_CONFLICT, url + file.name() + " already exists with sha256:"
            + existing + ", but this release has sha256:" + file.sha256()
            + "; a published file is never overwritten: release a new version or remove the file by hand");
      }
    }
    if (missing.isEmpty()) {
      return 0;
    }
    Path staging = directory.resolve(".staging-" + runId);
    Files.createDirectories(staging);
    try {
      for (ArtifactRef file : missing) {
        store.copyTo(file, staging.resolve(file.name()));
      }
      for (ArtifactRef file : missing) {
        Files.move(staging.resolve(file.name()), directory.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      deleteTree(staging);
    }
    return missing.size();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
