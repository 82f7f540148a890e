package dev.durablerelease.store;

import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A remote store with a bounded local copy of the blobs this worker read or wrote, evicting the least recently used
 * first, so that a stage that reads an archive twice downloads it once. Cached blobs are re-hashed on every read, like
 * remote ones; a damaged local copy is dropped (and fetched again by {@link #copyTo} and {@link #verify}), a damaged
 * remote blob is quarantined by the remote store. Records always go to the remote store, the only shared state.
 */
public final class CachingArtifactStore implements ArtifactStore {
  private final ArtifactStore remote;
  private final Path cache;
  private final long maxBytes;
  /** When a blob is used; eviction goes by it. */
  private final Clock clock;

  public CachingArtifactStore(ArtifactStore remote, Path cache, long maxBytes) throws IOException {
    this(remote, cache, maxBytes, Clock.systemUTC());
  }

  CachingArtifactStore(ArtifactStore remote, Path cache, long maxBytes, Clock clock) throws IOException {
    this.remote = remote;
    this.cache = Files.createDirectories(cache);
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  @Override
  public ArtifactRef put(Path file, String name, ArtifactKind kind) throws IOException {
    ArtifactRef ref = remote.put(file, name, kind);
    Path tmp = cache.resolve(UUID.randomUUID() + ".part");
    Files.copy(file, tmp);
    keep(tmp, ref.sha256());
    return ref;
  }

  @Override
  public InputStream open(String sha256) throws IOException {
    Path cached = cache.resolve(sha256);
    try {
      used(cached);
      return localCopy(cached, sha256);
    } catch (NoSuchFileException notCached) {
      Path tmp = cache.resolve(UUID.randomUUID() + ".part");
      try (InputStream in = remote.open(sha256)) {
        Files.copy(in, tmp);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      keep(tmp, sha256);
      return localCopy(cached, sha256);
    }
  }

  /** A damaged local copy is dropped, not quarantined: the shared blob may be intact, and the next read fetches it. */
  private InputStream localCopy(Path cached, String sha256) throws IOException {
    return new VerifyingInputStream(Files.newInputStream(cached), sha256, location() + " (local copy)", () -> {
      Files.deleteIfExists(cached);
      return "this worker's local copy was dropped, so the next read downloads it again";
    }, true);
  }

  @Override
  public void copyTo(ArtifactRef ref, Path destination) throws IOException {
    try {
      ArtifactStore.super.copyTo(ref, destination);
    } catch (BlobIntegrityException e) {
      if (!e.localCopy()) {
        throw e;
      }
      ArtifactStore.super.copyTo(ref, destination); // fetched again from the shared store
    }
  }

  /** Checks the local copy (fetching it again when it was damaged) and that the shared store still holds the blob. */
  @Override
  public void verify(String sha256) throws IOException {
    try {
      ArtifactStore.super.verify(sha256);
    } catch (BlobIntegrityException e) {
      if (!e.localCopy()) {
        throw e;
      }
      ArtifactStore.super.verify(sha256);
    }
    if (!remote.contains(sha256)) {
      throw new NoSuchFileException(sha256, null, "blob sha256:" + sha256 + " is no longer in the store " + location());
    }
  }

  @Override
  public boolean contains(String sha256) throws IOException {
    return Files.exists(cache.resolve(sha256)) || remote.contains(sha256);
  }

  @Override
  public Optional<byte[]> readRecord(String key) throws IOException {
    return remote.readRecord(key);
  }

  @Override
  public boolean createRecord(String key, byte[] json) throws IOException {
    return remote.createRecord(key, json);
  }

  @Override
  public void writeRecord(String key, byte[] json) throws IOException {
    remote.writeRecord(key, json);
  }

  @Override
  public List<String> listRecords(String folder) throws IOException {
    return remote.listRecords(folder);
  }

  @Override
  public String location() {
    return remote.location();
  }

  /** Moves a downloaded or written blob into the cache, then evicts the least recently used beyond the bound. */
  private void keep(Path tmp, String sha256) throws IOException {
    Files.move(tmp, cache.resolve(sha256), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    used(cache.resolve(sha256));
    List<Path> blobs;
    try (Stream<Path> files = Files.list(cache)) {
      blobs = files.filter(p -> !p.getFileName().toString().endsWith(".part"))
          .sorted(Comparator.comparing(CachingArtifactStore::lastUsed).reversed())
          .toList();
    }
    long total = 0;
    for (Path blob : blobs) {
      long size = Files.size(blob);
      total += size;
      // the newest blob stays even when it alone exceeds the bound: it is about to be read
      if (total > maxBytes && !blob.getFileName().toString().equals(sha256)) {
        Files.deleteIfExists(blob);
        total -= size;
      }
    }
  }

  /** A blob's last use is its modification time, which reading it leaves alone. */
  private void used(Path blob) throws IOException {
    Files.setLastModifiedTime(blob, FileTime.from(clock.instant()));
  }

  private static long lastUsed(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
