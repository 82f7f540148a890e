package dev.durablerelease.store;

import dev.durablerelease.workflow.ArtifactKind;
import dev.durablerelease.workflow.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where release files live between stages, and the only state workers share: content-addressed blobs (keyed by
 * SHA-256) plus small JSON records. Workflow payloads carry only {@link ArtifactRef}s into it.
 */
public interface ArtifactStore {

  /** Stores a file's bytes under their SHA-256 (once, however often it is put) and names the reference. */
  ArtifactRef put(Path file, String name, ArtifactKind kind) throws IOException;

  /**
   * Opens a blob for reading. The stream re-hashes what it reads and throws {@link BlobIntegrityException} at the end
   * when the content is not what the digest says.
   */
  InputStream open(String sha256) throws IOException;

  /** Copies a blob to a file, verifying its digest; a mismatch deletes the file and throws. */
  void copyTo(ArtifactRef ref, Path destination) throws IOException;

  /** Whether a blob is present. */
  boolean contains(String sha256) throws IOException;

  /** A small JSON record by key (e.g. {@code ledger/<target>/<path>}), if present. */
  Optional<byte[]> readRecord(String key) throws IOException;

  /** Writes a record only if no record has that key; returns false when one exists (and leaves it alone). */
  boolean createRecord(String key, byte[] json) throws IOException;

  /** Writes or replaces a record. */
  void writeRecord(String key, byte[] json) throws IOException;

  /** Where the store is, for messages. */
  String location();
}
