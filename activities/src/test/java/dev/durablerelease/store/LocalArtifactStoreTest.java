package dev.durablerelease.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.workflow.ArtifactKind;
import dev.durablerelease.workflow.ArtifactRef;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
  @TempDir
  Path tmp;

  @Test
  void blobsAreKeyedByDigestAndStoredOnce() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(tmp.resolve("store"));
    Path file = Files.writeString(tmp.resolve("a.txt"), "hello\n");
    ArtifactRef first = store.put(file, "a.txt", ArtifactKind.LOG);
    ArtifactRef second = store.put(file, "b.txt", ArtifactKind.LOG);
    assertThat(first.sha256()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
        .isEqualTo(second.sha256());
    assertThat(first.size()).isEqualTo(6);
    try (InputStream in = store.open(first.sha256())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
    }
  }

  @Test
  void alteredBlobIsRefusedOnReadAndNotCopied() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(tmp.resolve("store"));
    ArtifactRef ref = store.put(Files.writeString(tmp.resolve("a.txt"), "hello\n"), "a.txt", ArtifactKind.LOG);
    Files.writeString(store.blobPath(ref.sha256()), "hellO\n");
    Path copy = tmp.resolve("copy.txt");
    assertThatThrownBy(() -> store.copyTo(ref, copy)).isInstanceOf(BlobIntegrityException.class)
        .hasMessageContaining("blob sha256:" + ref.sha256()).hasMessageContaining("altered or corrupted");
    assertThat(copy).doesNotExist();
  }

  @Test
  void recordsAreCreatedOnlyOnce() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(tmp.resolve("store"));
    assertThat(store.createRecord("ledger/x", "{\"a\":1}".getBytes())).isTrue();
    assertThat(store.createRecord("ledger/x", "{\"a\":2}".getBytes())).isFalse();
    assertThat(store.readRecord("ledger/x")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("{\"a\":1}"));
    store.writeRecord("ledger/x", "{\"a\":3}".getBytes());
    assertThat(store.readRecord("ledger/x")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("{\"a\":3}"));
    assertThat(store.readRecord("ledger/y")).isEmpty();
    assertThatThrownBy(() -> store.readRecord("../escape")).isInstanceOf(IllegalArgumentException.class);
  }
}
