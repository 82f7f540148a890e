package dev.durablerelease.store;

import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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
   * when the content is not what the digest says; the damaged blob is then quarantined (moved aside, so that {@link
   * #contains} says it is missing and the next {@link #put} of the right bytes stores them afresh). Nothing read
   * before the end is checked: what acts on a blob's bytes reads it with {@link #copyTo} or {@link #verify} first.
   */
  InputStream open(String sha256) throws IOException;

  /** Reads a whole blob and checks its digest, quarantining it when it is damaged (see {@link #open}). */
  default void verify(String sha256) throws IOException {
    try (InputStream in = open(sha256)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  /**
   * Copies a blob to a file, verifying its digest on the way. The bytes go to a file beside the destination first, so
   * the destination only ever holds the whole, verified blob.
   */
  default void copyTo(ArtifactRef ref, Path destination) throws IOException {
    Files.createDirectories(destination.toAbsolutePath().getParent());
    Path part = destination.resolveSibling(destination.getFileName() + ".part");
    try (InputStream in = open(ref.sha256())) {
      Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
      Files.move(part, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Whether a blob is present. */
  boolean contains(String sha256) throws IOException;

  /** A small JSON record by key (e.g. {@code ledger/<target>/<path>}), if present. */
  Optional<byte[]> readRecord(String key) throws IOException;

  /** Writes a record only if no record has that key; returns false when one exists (and leaves it alone). */
  boolean createRecord(String key, byte[] json) throws IOException;

  /** Writes or replaces a record. */
  void writeRecord(String key, byte[] json) throws IOException;

  /** The names of the records directly in a folder of keys (e.g. {@code published/ab…}), in no order. */
  List<String> listRecords(String folder) throws IOException;

  /** Where the store is, for messages. */
  String location();
}
