package dev.durablerelease.activities;

import static dev.durablerelease.testing.StageHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.CachingArtifactStore;
import dev.durablerelease.store.LocalArtifactStore;
import dev.durablerelease.store.S3ArtifactStore;
import dev.durablerelease.testing.S3ProxyServer;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.StageHarness;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source archive whose stored bytes were replaced (by those of a tampered build whose tests always pass) is never
 * unpacked for a test: the stage blocks naming the archive, the blob is quarantined, and a resumed release builds it
 * again. On a local folder and on S3 (s3proxy, behind the worker's cache as workers use it).
 */
class DamagedBlobTest {
  @TempDir
  Path tmp;

  /** Writes bytes where a store keeps a blob, behind its back. */
  @FunctionalInterface
  private interface Damage {
    void write(String sha256, byte[] bytes) throws Exception;
  }

  private static String blobKey(String sha256) {
    return "blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256;
  }

  @Test
  void aDamagedArchiveInALocalStoreIsNeverTestedAndIsRebuilt() throws Exception {
    Path store = tmp.resolve("store");
    scenario(new LocalArtifactStore(store), (sha256, bytes) -> Files.write(store.resolve(blobKey(sha256)), bytes));
  }

  @Test
  void aDamagedArchiveInAnS3StoreIsNeverTestedAndIsRebuilt() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")))) {
      try (var client = server.client()) {
        client.createBucket(b -> b.bucket("releases"));
      }
      Path cache = tmp.resolve("cache");
      ArtifactStore store = new CachingArtifactStore(new S3ArtifactStore(server.client(), "releases", "store/"),
          cache, 64 << 20);
      scenario(store, (sha256, bytes) -> {
        // the shared object and this worker's local copy alike
        Files.write(server.objectFile("releases", "store/" + blobKey(sha256)), bytes);
        Files.write(cache.resolve(sha256), bytes);
      });
    }
  }

  private void scenario(ArtifactStore store, Damage damage) throws Exception {
    byte[] tampered = tamperedArchive();
    try (SampleRepository repo = SampleRepository.create(tmp.resolve("hello"));
        StageHarness stages = new StageHarness(tmp.resolve("worker"), store)) {
      Checkout checkout = stages.source().checkout(checkoutInput(repo, false));
      ArtifactRef archive = stages.source().buildSource(checkout).primary();
      damage.write(archive.sha256(), tampered);

      ApplicationFailure f = failure(() -> stages.build().testSource(testInput(archive, checkout)));
      assertThat(f.getType()).isEqualTo(Failures.DIGEST_MISMATCH);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage()).startsWith("hello-1.0.0.tar.gz cannot be used: blob sha256:"
              + archive.sha256()).contains("moved to quarantine as").contains("Nothing was run on it")
          .doesNotContain("tampered");
      assertThat(store.contains(archive.sha256())).isFalse();

      // a resumed release finds the archive gone, builds it again (the same bytes) and tests those
      Checkout resumed = stages.source().checkout(checkoutInput(repo, true));
      Archives rebuilt = stages.source().buildSource(resumed);
      assertThat(rebuilt.run().reused()).isFalse();
      assertThat(rebuilt.primary()).isEqualTo(archive);
      assertThat(log(store, stages.build().testSource(testInput(archive, resumed)))).contains("all tests passed")
          .doesNotContain("tampered");

      // damage the record's archive again: a resume checks what it would reuse, and builds it again
      damage.write(archive.sha256(), tampered);
      Archives again = stages.source().buildSource(resumed);
      assertThat(again.run().reused()).isFalse();
      store.verify(archive.sha256());
      assertThat(stages.source().buildSource(resumed).run().reused()).isTrue();
    }
  }

  /**
   * Another hello 1.0.0, whose tests pass whatever the code does: {@code git archive}'s tar, padded to records of
   * 32 KiB (as {@code tar -b 64} writes them) and gzipped. A reader that stops at the tar's end, one 10 KiB record
   * later, never reaches the end of the stream.
   */
  private byte[] tamperedArchive() throws Exception {
    try (SampleRepository other = SampleRepository.create(tmp.resolve("tampered"))) {
      other.writeFile("tests/run-tests.sh", "echo tampered tests; echo all tests passed\n").commitAll("tampered");
      Process git = new ProcessBuilder("git", "-C", other.url(), "archive", "--format=tar", "--prefix=hello-1.0.0/",
          "HEAD").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] tar = git.getInputStream().readAllBytes();
      assertThat(git.waitFor()).isZero();
      ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
        out.write(tar);
        out.write(new byte[32768 - tar.length % 32768]);
      }
      return gzipped.toByteArray();
    }
  }

  private static CheckoutInput checkoutInput(SampleRepository repo, boolean resume) {
    return new CheckoutInput(repo.url(), SampleRepository.VERSION, SampleRepository.TAG, null, null, resume);
  }

  private static CommandInput testInput(ArtifactRef archive, Checkout checkout) {
    return new CommandInput("testSource", archive, "hello-1.0.0", "make test", "2m", Map.of(), List.of(), List.of(),
        null, checkout.commitTime(), false, null, "hello");
  }

  private static String log(ArtifactStore store, CommandReport report) throws Exception {
    try (InputStream in = store.open(report.log().sha256())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
