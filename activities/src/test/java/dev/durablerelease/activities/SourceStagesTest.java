package dev.durablerelease.activities;

import static dev.durablerelease.testing.StageHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.Manifest;
import dev.durablerelease.activity.ManifestInput;
import dev.durablerelease.activity.SbomInput;
import dev.durablerelease.activity.Sboms;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.SampleStagesTestBase;
import dev.durablerelease.contract.ArtifactKind;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceStagesTest extends SampleStagesTestBase {
  private CheckoutInput input(String tag, String expectedCommit) {
    return new CheckoutInput(repo.url(), SampleRepository.VERSION, tag, expectedCommit, null, false);
  }

  @Test
  void checkoutResolvesTheTagAndReadsTheCommittedSpec() {
    Checkout checkout = stages.source().checkout(input(SampleRepository.TAG, repo.head()));
    assertThat(checkout.commit()).isEqualTo(repo.head());
    assertThat(checkout.commitTime()).isEqualTo(SampleRepository.COMMIT_TIME.getEpochSecond());
    assertThat(checkout.spec().project()).isEqualTo("hello");
    assertThat(checkout.spec().repository()).isEqualTo(repo.url());
    assertThat(checkout.spec().test().command()).isEqualTo("make test");
    assertThat(checkout.specDigest()).isEqualTo(SpecLoader.digest(checkout.spec()));
    assertThat(checkout.run().worker()).isEqualTo("test-worker");
  }

  @Test
  void unknownTagNamesTheTagsThatExist() {
    ApplicationFailure f = failure(() -> stages.source().checkout(input("v9.9.9", null)));
    assertThat(f.getType()).isEqualTo(Failures.TAG_NOT_FOUND);
    assertThat(f.getOriginalMessage()).contains("tag v9.9.9 does not exist in " + repo.url()).contains("v1.0.0");
  }

  @Test
  void tagMovedAwayFromTheReviewedCommitIsRefused() {
    String reviewed = repo.head();
    repo.writeFile("src/extra.c", "int extra;\n").commitAll("sneaky change");
    repo.tag(SampleRepository.TAG);
    ApplicationFailure f = failure(() -> stages.source().checkout(input(SampleRepository.TAG, reviewed)));
    assertThat(f.getType()).isEqualTo(Failures.COMMIT_MISMATCH);
    assertThat(f.getOriginalMessage())
        .contains("tag v1.0.0 resolves to " + repo.head())
        .contains("expectedCommit in the workflow input is " + reviewed);
  }

  @Test
  void missingRepositoryAndRelativePathsAreClearErrors() {
    ApplicationFailure missing = failure(() -> stages.source().checkout(
        new CheckoutInput(tmp.resolve("nope").toString(), "1.0.0", "v1.0.0", null, null, false)));
    assertThat(missing.getType()).isEqualTo(Failures.REPOSITORY_UNAVAILABLE);
    assertThat(missing.getOriginalMessage()).contains("nope");
    ApplicationFailure relative = failure(() -> stages.source().checkout(
        new CheckoutInput("hello", "1.0.0", "v1.0.0", null, null, false)));
    assertThat(relative.getType()).isEqualTo(Failures.INVALID_SPEC);
    assertThat(relative.getOriginalMessage()).contains("relative path");
  }

  @Test
  void invalidCommittedSpecIsReportedWithItsLine() {
    repo.writeFile("release.yaml", "project: hello\nversion: 1.0.0\ntest: {commnd: make}\n").commitAll("typo");
    repo.tag("v1.0.1");
    ApplicationFailure f = failure(() -> stages.source().checkout(
        new CheckoutInput(repo.url(), "1.0.1", "v1.0.1", null, null, false)));
    assertThat(f.getType()).isEqualTo(Failures.INVALID_SPEC);
    assertThat(f.getOriginalMessage()).contains("release.yaml at v1.0.1:3: test.commnd: unknown key");
  }

  @Test
  void sbomListsEveryFileOfTheArchiveAndManifestListsEveryArtifact() throws Exception {
    Checkout checkout = stages.source().checkout(input(SampleRepository.TAG, null));
    Archives archives = stages.source().buildSource(checkout);
    Sboms sboms = stages.source().generateSbom(new SbomInput(checkout, archives.archives()));
    assertThat(sboms.sboms()).extracting(ArtifactRef::name).containsExactly("hello-1.0.0.tar.gz.spdx.json",
        "hello-1.0.0.tar.gz.cdx.json");

    List<ArtifactRef> artifacts = new java.util.ArrayList<>(archives.archives());
    artifacts.addAll(sboms.sboms());
    Manifest manifest = stages.source().writeManifest(new ManifestInput(checkout, artifacts, List.of(), List.of(),
        List.of(), List.of(), List.of(), null, null));
    Path out = tmp.resolve("out");
    for (ArtifactRef a : artifacts) {
      stages.context().store().copyTo(a, out.resolve(a.name()));
    }
    stages.context().store().copyTo(manifest.checksums(), out.resolve("SHA256SUMS"));
    Process check = new ProcessBuilder("sha256sum", "-c", "--strict", "SHA256SUMS").directory(out.toFile())
        .redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor()).as(output).isZero();
    assertThat(output).contains("hello-1.0.0.tar.gz: OK").contains("hello-1.0.0.tar.gz.spdx.json: OK")
        .contains("hello-1.0.0.tar.gz.cdx.json: OK");
  }

  @Test
  void namesThatCollideAtRunTimeBlockTheManifestBeforeAnythingIsStaged() {
    Checkout checkout = stages.source().checkout(input(SampleRepository.TAG, null));
    ArtifactRef archive = stages.source().buildSource(checkout).primary();
    ArtifactRef sameName = new ArtifactRef(archive.name(), ArtifactKind.DOCS_ARCHIVE, "d".repeat(64), 1);
    ArtifactRef sums = new ArtifactRef("SHA256SUMS", ArtifactKind.DOCS_ARCHIVE, "e".repeat(64), 1);
    ApplicationFailure f = failure(() -> stages.source().writeManifest(new ManifestInput(checkout,
        List.of(archive, sameName, sums), List.of(), List.of(), List.of(), List.of(), List.of(), null, null)));
    assertThat(f.getType()).isEqualTo(Failures.PUBLISH_CONFLICT);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).startsWith("two files of this release have one name: hello-1.0.0.tar.gz"
        + " (source archive sha256:" + archive.sha256() + ", docs archive sha256:" + "d".repeat(64) + "); SHA256SUMS")
        .contains("nothing was staged");
  }

  @Test
  void specGivenInTheInputIsValidatedAgain() {
    ReleaseSpec bad = new ReleaseSpec("hello", repo.url(), "1.0.0", "v1.0.0", null, null,
        new dev.durablerelease.spec.CommandSpec("make test", "soon", null, null, null), null, null, null, null);
    ApplicationFailure f = failure(() -> stages.source().checkout(
        new CheckoutInput(repo.url(), "1.0.0", "v1.0.0", null, bad, false)));
    assertThat(f.getType()).isEqualTo(Failures.INVALID_SPEC);
    assertThat(f.getOriginalMessage()).contains("test.timeout").contains("\"soon\" is not a duration");
  }
}
