package dev.durablerelease.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.store.LocalArtifactStore;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishLedgerTest {
  @TempDir
  Path tmp;

  @Test
  void theFirstPublicationOfAPlaceWinsWhicheverAccountWroteIt() throws Exception {
    PublishLedger ledger = new PublishLedger(new LocalArtifactStore(tmp));
    ArtifactRef published = new ArtifactRef("hello-1.0.0.tar.gz", ArtifactKind.SOURCE_ARCHIVE, "a".repeat(64), 10);
    ledger.record("sftp://alice@downloads.example.org/srv/1.0.0/", published, "run-1");

    assertThat(ledger.find("sftp://bob@downloads.example.org/srv/1.0.0/", "hello-1.0.0.tar.gz")).hasValueSatisfying(
        entry -> assertThat(entry.sha256()).isEqualTo("a".repeat(64)));
    assertThat(ledger.find("sftp://alice@downloads.example.org/srv/1.0.1/", "hello-1.0.0.tar.gz")).isEmpty();
    ledger.record("sftp://bob@downloads.example.org/srv/1.0.0/", published, "run-2"); // the same bytes: kept
    ArtifactRef other = new ArtifactRef("hello-1.0.0.tar.gz", ArtifactKind.SOURCE_ARCHIVE, "b".repeat(64), 10);
    assertThatThrownBy(() -> ledger.record("sftp://alice@downloads.example.org/srv/1.0.0/", other, "run-3"))
        .isInstanceOf(StageFailure.class).hasMessageContaining("by run run-1");
  }

  @Test
  void everySpellingOfATargetIsOnePlace() throws Exception {
    PublishLedger ledger = new PublishLedger(new LocalArtifactStore(tmp));
    ArtifactRef published = new ArtifactRef("hello-1.0.0.tar.gz", ArtifactKind.SOURCE_ARCHIVE, "a".repeat(64), 10);
    ledger.record("sftp://alice@downloads.example.org/srv/1.0.0/", published, "run-1");
    for (String spelling : List.of("sftp://downloads.example.org//srv/1.0.0/",
        "sftp://downloads.example.org/srv/./1.0.0/", "SFTP://bob@Downloads.Example.org:22/srv/old/../1.0.0",
        "sftp://downloads.example.org/srv//./1.0.0//")) {
      assertThat(ledger.find(spelling, "hello-1.0.0.tar.gz")).as(spelling).isPresent();
    }
    ArtifactRef other = new ArtifactRef("hello-1.0.0.tar.gz", ArtifactKind.SOURCE_ARCHIVE, "b".repeat(64), 10);
    assertThatThrownBy(() -> ledger.record("sftp://downloads.example.org//srv/./1.0.0/", other, "run-2"))
        .isInstanceOf(StageFailure.class).hasMessageContaining("by run run-1");
    assertThat(ledger.find("sftp://downloads.example.org:2222/srv/1.0.0/", "hello-1.0.0.tar.gz")).isEmpty();
    assertThat(ledger.find("sftp://downloads.example.org/srv/1.0.0/1.0.0/", "hello-1.0.0.tar.gz")).isEmpty();
  }
}
