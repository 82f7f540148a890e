package dev.durablerelease.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The contract through the worker's local cache, plus what the cache itself promises. */
class CachingArtifactStoreTest extends ArtifactStoreContract {

  private LocalArtifactStore remote;

  @Override
  protected ArtifactStore store() throws Exception {
    remote = new LocalArtifactStore(tmp.resolve("remote"));
    return new CachingArtifactStore(remote, tmp.resolve("cache"), 64 << 20);
  }

  @Override
  protected void corrupt(ArtifactStore store, String sha256, byte[] bytes) throws Exception {
    // both copies: the shared one and the worker's local one
    Files.write(remote.blobPath(sha256), bytes);
    Files.write(tmp.resolve("cache").resolve(sha256), bytes);
  }

  /** A remote store that counts downloads. */
  private static final class CountingStore extends ForwardingStore {
    final AtomicInteger downloads = new AtomicInteger();

    CountingStore(ArtifactStore delegate) {
      super(delegate);
    }

    @Override
    public InputStream open(String sha256) throws java.io.IOException {
      downloads.incrementAndGet();
      return super.open(sha256);
    }
  }

  @Test
  void aDamagedLocalCopyIsDroppedAndFetchedAgain() throws Exception {
    ArtifactStore worker = store();
    ArtifactRef ref = worker.put(Files.write(tmp.resolve("a.txt"), "hello\n".getBytes()), "a.txt", ArtifactKind.LOG);
    Path localCopy = tmp.resolve("cache").resolve(ref.sha256());
    Files.write(localCopy, "hellO\n".getBytes());
    Path copy = tmp.resolve("copy.txt");
    worker.copyTo(ref, copy);
    assertThat(copy).hasContent("hello\n");
    assertThat(localCopy).hasContent("hello\n");

    // a plain read cannot start over: it fails, retryably, and the next read downloads the blob again
    Files.write(localCopy, "hellO\n".getBytes());
    try (InputStream in = worker.open(ref.sha256())) {
      assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(BlobIntegrityException.class,
          e -> assertThat(e.localCopy()).isTrue()).hasMessageContaining("local copy was dropped");
    }
    assertThat(localCopy).doesNotExist();
    worker.verify(ref.sha256());
    assertThat(remote.contains(ref.sha256())).isTrue();
  }

  @Test
  void aBlobReadTwiceIsDownloadedOnceAndTheLeastRecentlyUsedIsEvicted() throws Exception {
    LocalArtifactStore shared = new LocalArtifactStore(tmp.resolve("shared"));
    byte[] kilobyte = new byte[1024];
    ArtifactRef a = shared.put(Files.write(tmp.resolve("a"), kilobyte), "a", ArtifactKind.LOG);
    kilobyte[0] = 1;
    ArtifactRef b = shared.put(Files.write(tmp.resolve("b"), kilobyte), "b", ArtifactKind.LOG);
    kilobyte[0] = 2;
    ArtifactRef c = shared.put(Files.write(tmp.resolve("c"), kilobyte), "c", ArtifactKind.LOG);

    CountingStore remote = new CountingStore(shared);
    Path cacheDir = tmp.resolve("worker-cache");
    // room for two blobs; every use a second after the one before, so the eviction order is the use order
    Clock ticking = new Clock() {
      private Instant now = Instant.parse("2026-12-01T00:00:00Z");

      @Override
      public synchronized Instant instant() {
        now = now.plusSeconds(1);
        return now;
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }
    };
    CachingArtifactStore worker = new CachingArtifactStore(remote, cacheDir, 2048, ticking);
    worker.copyTo(a, tmp.resolve("a1"));
    worker.copyTo(a, tmp.resolve("a2"));
    assertThat(remote.downloads).hasValue(1);

    worker.copyTo(b, tmp.resolve("b1"));
    worker.copyTo(c, tmp.resolve("c1")); // a is the least recently used: it goes
    assertThat(remote.downloads).hasValue(3);
    assertThat(cacheDir.resolve(a.sha256())).doesNotExist();
    assertThat(cacheDir.resolve(b.sha256())).exists();
    assertThat(cacheDir.resolve(c.sha256())).exists();
    worker.copyTo(b, tmp.resolve("b2"));
    assertThat(remote.downloads).hasValue(3);
  }
}
