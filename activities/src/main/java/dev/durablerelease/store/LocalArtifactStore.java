package dev.durablerelease.store;

import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.UUID;

/**
 * The artifact store in a local folder: {@code blobs/sha256/ab/abcdef…} and {@code records/<key>.json}. Every write
 * goes to a temporary file first and is moved into place, so a crash never leaves a half-written blob or record.
 */
public final class LocalArtifactStore implements ArtifactStore {
  private final Path root;

  public LocalArtifactStore(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Files.createDirectories(this.root.resolve("blobs/sha256"));
    Files.createDirectories(this.root.resolve("records"));
    Files.createDirectories(this.root.resolve("tmp"));
  }

  @Override
  public ArtifactRef put(Path file, String name, ArtifactKind kind) throws IOException {
    Path tmp = tempFile();
    MessageDigest md = Digests.sha256();
    long size;
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
      size = in.transferTo(out);
    }
    String sha256 = Digests.hex(md.digest());
    Path blob = blobPath(sha256);
    Files.createDirectories(blob.getParent());
    if (Files.exists(blob)) {
      Files.delete(tmp);
    } else {
      Files.move(tmp, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return new ArtifactRef(name, kind, sha256, size);
  }

  @Override
  public InputStream open(String sha256) throws IOException {
    Path blob = blobPath(sha256);
    try {
      return new VerifyingInputStream(Files.newInputStream(blob), sha256, location(), () -> quarantine(sha256), false);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(blob.toString(), null,
          "blob sha256:" + sha256 + " is not in the store " + location());
    }
  }

  @Override
  public boolean contains(String sha256) {
    return Files.isRegularFile(blobPath(sha256));
  }

  @Override
  public Optional<byte[]> readRecord(String key) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(recordPath(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean createRecord(String key, byte[] json) throws IOException {
    Path target = recordPath(key);
    Files.createDirectories(target.getParent());
    Path tmp = tempFile();
    Files.write(tmp, json);
    try {
      // a hard link fails atomically when the target exists, unlike a rename
      Files.createLink(target, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.delete(tmp);
    }
  }

  @Override
  public void writeRecord(String key, byte[] json) throws IOException {
    Path target = recordPath(key);
    Files.createDirectories(target.getParent());
    Path tmp = tempFile();
    Files.write(tmp, json);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public List<String> listRecords(String folder) throws IOException {
    Path dir = root.resolve(StoreKeys.recordFolder(folder));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).map(f -> StoreKeys.recordName(f.getFileName().toString()))
          .filter(Objects::nonNull).toList();
    }
  }

  @Override
  public String location() {
    return root.toString();
  }

  /** Moves a damaged blob aside (kept for a look at what happened), so that the next put stores it afresh. */
  private String quarantine(String sha256) throws IOException {
    Path quarantined = root.resolve("quarantine").resolve(sha256 + "-" + UUID.randomUUID());
    Files.createDirectories(quarantined.getParent());
    try {
      Files.move(blobPath(sha256), quarantined, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return "another reader has already moved it to quarantine";
    }
    return "it was moved to quarantine as " + quarantined + ", so a stage that makes it again stores it afresh";
  }

  /** The file holding a blob; tests use it to corrupt one. */
  Path blobPath(String sha256) {
    return root.resolve(StoreKeys.blob(sha256));
  }

  private Path recordPath(String key) {
    return root.resolve(StoreKeys.record(key));
  }

  private Path tempFile() {
    return root.resolve("tmp").resolve(UUID.randomUUID() + ".part");
  }
}
