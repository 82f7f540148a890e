package dev.durablerelease.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every artifact store must do, whatever holds the bytes: one suite, run against each implementation, so that
 * releases behave the same on a local folder and on S3-compatible storage.
 */
public abstract class ArtifactStoreContract {
  @TempDir
  protected Path tmp;

  /** A fresh, empty store. */
  protected abstract ArtifactStore store() throws Exception;

  /** Replaces a stored blob's bytes behind the store's back (a corrupted disk, a tampered bucket). */
  protected abstract void corrupt(ArtifactStore store, String sha256, byte[] bytes) throws Exception;

  private Path file(String name, byte[] content) throws Exception {
    return Files.write(tmp.resolve(name), content);
  }

  @Test
  void blobsAreKeyedByDigestAndReadBackIdentical() throws Exception {
    ArtifactStore store = store();
    ArtifactRef first = store.put(file("a.txt", "hello\n".getBytes()), "a.txt", ArtifactKind.LOG);
    ArtifactRef second = store.put(file("b.txt", "hello\n".getBytes()), "b.txt", ArtifactKind.LOG);
    assertThat(first.sha256()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
        .isEqualTo(second.sha256());
    assertThat(first.size()).isEqualTo(6);
    assertThat(second.name()).isEqualTo("b.txt");
    assertThat(store.contains(first.sha256())).isTrue();
    try (InputStream in = store.open(first.sha256())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
    }
  }

  @Test
  void largeBlobsStreamThroughUnchanged() throws Exception {
    byte[] content = new byte[24 * 1024 * 1024 + 17];
    new Random(42).nextBytes(content);
    ArtifactStore store = store();
    ArtifactRef ref = store.put(file("big.bin", content), "big.bin", ArtifactKind.SOURCE_ARCHIVE);
    assertThat(ref.sha256()).isEqualTo(Digests.sha256Hex(content));
    Path copy = tmp.resolve("copy.bin");
    store.copyTo(ref, copy);
    assertThat(Digests.sha256Hex(copy)).isEqualTo(ref.sha256());
  }

  @Test
  void alteredBlobIsRefusedWhenReadAndNotCopied() throws Exception {
    ArtifactStore store = store();
    ArtifactRef ref = store.put(file("a.txt", "hello\n".getBytes()), "a.txt", ArtifactKind.LOG);
    corrupt(store, ref.sha256(), "hellO\n".getBytes());
    Path copy = tmp.resolve("copy.txt");
    assertThatThrownBy(() -> store.copyTo(ref, copy)).isInstanceOf(BlobIntegrityException.class)
        .hasMessageContaining("blob sha256:" + ref.sha256()).hasMessageContaining("altered or corrupted");
    assertThat(copy).doesNotExist();
  }

  @Test
  void aDamagedBlobIsQuarantinedAndStoredAfreshByTheNextPut() throws Exception {
    ArtifactStore store = store();
    ArtifactRef ref = store.put(file("a.txt", "hello\n".getBytes()), "a.txt", ArtifactKind.LOG);
    corrupt(store, ref.sha256(), "hellO\n".getBytes());
    assertThatThrownBy(() -> store.verify(ref.sha256())).isInstanceOf(BlobIntegrityException.class)
        .hasMessageContaining("blob sha256:" + ref.sha256()).hasMessageContaining("moved to quarantine as");
    assertThat(store.contains(ref.sha256())).as("a damaged blob does not count as stored").isFalse();
    store.put(file("again.txt", "hello\n".getBytes()), "a.txt", ArtifactKind.LOG);
    store.verify(ref.sha256());
    try (InputStream in = store.open(ref.sha256())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
    }
  }

  @Test
  void missingBlobIsAClearError() throws Exception {
    String absent = "0".repeat(64);
    ArtifactStore store = store();
    assertThat(store.contains(absent)).isFalse();
    assertThatThrownBy(() -> store.open(absent)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("sha256:" + absent).hasMessageContaining(store.location());
  }

  @Test
  void recordsOfAFolderAreListedByName() throws Exception {
    ArtifactStore store = store();
    assertThat(store.listRecords("published/a")).isEmpty();
    store.createRecord("published/a/312e30", "{}".getBytes());
    store.createRecord("published/a/322e30", "{}".getBytes());
    store.createRecord("published/a/deeper/332e30", "{}".getBytes());
    store.createRecord("published/ab/342e30", "{}".getBytes());
    assertThat(store.listRecords("published/a")).containsExactlyInAnyOrder("312e30", "322e30");
  }

  @Test
  void recordsAreCreatedOnceReplacedOnRequestAndKeysAreChecked() throws Exception {
    ArtifactStore store = store();
    assertThat(store.readRecord("ledger/x")).isEmpty();
    assertThat(store.createRecord("ledger/x", "{\"a\":1}".getBytes())).isTrue();
    assertThat(store.createRecord("ledger/x", "{\"a\":2}".getBytes())).isFalse();
    assertThat(store.readRecord("ledger/x")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("{\"a\":1}"));
    store.writeRecord("ledger/x", "{\"a\":3}".getBytes());
    assertThat(store.readRecord("ledger/x")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("{\"a\":3}"));
    assertThatThrownBy(() -> store.readRecord("../escape")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.writeRecord("a b", new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentCreatesOfOneRecordHaveExactlyOneWinner() throws Exception {
    ArtifactStore store = store();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] json = ("{\"writer\":" + i + "}").getBytes();
        results.add(pool.submit((Callable<Boolean>) () -> store.createRecord("stages/race", json)));
      }
      int winners = 0;
      for (Future<Boolean> result : results) {
        winners += result.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
