package dev.durablerelease.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.PublishedRelease;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.store.LocalArtifactStore;
import dev.durablerelease.testing.DroppingProxy;
import dev.durablerelease.testing.S3ProxyServer;
import dev.durablerelease.testing.SftpServer;
import dev.durablerelease.testing.WebDavServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Publication to real targets on loopback: an SFTP server, an S3-compatible store and a folder. */
class PublisherTest {
  private static final Map<String, String> ENV = Map.of("S3_KEY", S3ProxyServer.ACCESS_KEY,
      "S3_SECRET", S3ProxyServer.SECRET_KEY, "DAV_PASSWORD", "dav-secret");

  @TempDir
  Path tmp;

  private ArtifactStore store;
  private SftpServer sftp;
  private S3ProxyServer s3;
  private Path clientKey;
  private Path knownHosts;

  @BeforeEach
  void setUp() throws Exception {
    store = new LocalArtifactStore(tmp.resolve("store"));
    sftp = SftpServer.start(tmp.resolve("sftp-root"));
    clientKey = sftp.writeClientKey(tmp.resolve("id_ecdsa"));
    knownHosts = sftp.writeKnownHosts(tmp.resolve("known_hosts"), sftp.port());
    s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")));
    s3.client().createBucket(b -> b.bucket("releases"));
  }

  @AfterEach
  void tearDown() throws Exception {
    sftp.close();
    s3.close();
  }

  @Test
  void conflictingFileOnAnyTargetStopsThePublicationBeforeAnythingIsPublished() throws Exception {
    List<ArtifactRef> first = List.of(file("a.tar.gz", 1000, 1), file("b.tar.gz", 1000, 2));
    publish(first, "run-1", false, fileSpec(), s3Spec());

    // b changed, c is new: nothing of this release may appear anywhere
    ArtifactRef changed = file("b.tar.gz", 1000, 3);
    List<ArtifactRef> second = List.of(first.get(0), changed, file("c.tar.gz", 1000, 4));
    StageFailure conflict = catchFailure(() -> publish(second, "run-2", false, fileSpec(), s3Spec()));
    assertThat(conflict.type()).isEqualTo(Failures.ALREADY_PUBLISHED);
    assertThat(conflict.getMessage()).startsWith("nothing was published: 2 file(s) of this release differ")
        .contains(fileSpec().url() + "b.tar.gz (published as sha256:" + first.get(1).sha256().substring(0, 12)
            + "…, this release sha256:" + changed.sha256().substring(0, 12) + "…)")
        .contains(s3Spec().url() + "b.tar.gz (published as")
        .endsWith("A published file is never replaced: release a new version")
        .doesNotContain("a.tar.gz");
    assertThat(tmp.resolve("folder/c.tar.gz")).doesNotExist();
    assertThat(Files.readAllBytes(tmp.resolve("folder/b.tar.gz"))).isEqualTo(bytes(1000, 2));
    assertThat(s3.objectFile("releases", "hello/c.tar.gz")).doesNotExist();

    // the ledger remembers what was published even when someone removed the file from the target
    Files.delete(tmp.resolve("folder/b.tar.gz"));
    StageFailure fromLedger = catchFailure(() -> publish(second, "run-3", false, fileSpec()));
    assertThat(fromLedger.type()).isEqualTo(Failures.ALREADY_PUBLISHED);
    assertThat(fromLedger.getMessage()).contains("b.tar.gz (was published as, now gone, sha256:"
        + first.get(1).sha256().substring(0, 12));
    assertThat(tmp.resolve("folder/c.tar.gz")).doesNotExist();
  }

  @Test
  void aFileThePublishLedgerDoesNotKnowIsAConflictThatRemovingItByHandResolves() throws Exception {
    Files.createDirectories(tmp.resolve("folder"));
    Files.write(tmp.resolve("folder/a.tar.gz"), bytes(10, 9)); // put there by someone else
    List<ArtifactRef> files = List.of(file("a.tar.gz", 1000, 1));

    StageFailure foreign = catchFailure(() -> publish(files, "run-1", false, fileSpec()));
    assertThat(foreign.type()).isEqualTo(Failures.PUBLISH_CONFLICT);
    assertThat(foreign.getMessage()).contains(fileSpec().url() + "a.tar.gz (holds sha256:")
        .contains("The publish ledger has no record of publishing them: if they were never announced, remove them"
            + " from the target by hand and run the upload again");

    Files.delete(tmp.resolve("folder/a.tar.gz"));
    assertThat(publish(files, "run-1", false, fileSpec()).written()).isEqualTo(1);
  }

  @Test
  void connectionDroppedMidFileIsResumedByTheNextAttemptWithoutResendingStagedFiles() throws Exception {
    List<ArtifactRef> files = List.of(file("one.tar.gz", 256 << 10, 1), file("two.tar.gz", 256 << 10, 2),
        file("release.json", 2000, 3));
    // the first connection carries the handshake, all of one.tar.gz and part of two.tar.gz
    try (DroppingProxy proxy = DroppingProxy.start(sftp.port(), (256 << 10) + (100 << 10))) {
      TargetPolicy viaProxy = new TargetPolicy("sftp://release@127.0.0.1:" + proxy.port() + "/srv/hello/",
          "file:" + clientKey, null, null, sftp.hostKeyFingerprint(), null, null, null, null, null, List.of("*"));
      assertThatThrownBy(() -> publish(files, "run-1", false, viaProxy)).isInstanceOf(IOException.class);
      assertThat(published(sftp.root().resolve("srv/hello"))).containsExactly(".staging-run-1");

      Publisher.Outcome outcome = publish(files, "run-1", false, viaProxy);
      assertThat(proxy.connections()).isEqualTo(2);
      assertThat(outcome.resumed()).isEqualTo(1);
      assertThat(outcome.written()).isEqualTo(3);
    }
    Path folder = sftp.root().resolve("srv/hello");
    assertThat(published(folder)).containsExactly("one.tar.gz", "release.json", "two.tar.gz");
    assertThat(Files.readAllBytes(folder.resolve("two.tar.gz"))).isEqualTo(bytes(256 << 10, 2));
  }

  @Test
  void whatAnEndedRunStagedIsRemovedByTheNextRunOfTheReleaseAndAnotherReleasesStagingIsKept() throws Exception {
    List<ArtifactRef> files = List.of(file("one.tar.gz", 256 << 10, 1), file("two.tar.gz", 256 << 10, 2));
    Path folder = sftp.root().resolve("srv/hello");
    // run-9 of release 2.0 dies in the middle of one.tar.gz (its release may be open still, blocked, say)
    try (DroppingProxy proxy = DroppingProxy.start(sftp.port(), 100 << 10)) {
      assertThatThrownBy(() -> publish(files, "release-hello-2.0", "run-9", false, viaProxy(proxy)))
          .isInstanceOf(IOException.class);
    }
    // run-1 of release 1.0 dies in the middle of two.tar.gz; the release resumes as run-2, through the same proxy
    // (which drops only its first connection)
    try (DroppingProxy proxy = DroppingProxy.start(sftp.port(), (256 << 10) + (100 << 10))) {
      assertThatThrownBy(() -> publish(files, "release-hello-1.0", "run-1", false, viaProxy(proxy), fileSpec()))
          .isInstanceOf(IOException.class);
      assertThat(published(folder)).containsExactly(".staging-run-1", ".staging-run-9");
      assertThat(published(folder.resolve(".staging-run-1"))).contains("one.tar.gz");

      Publisher.Outcome outcome = publish(files, "release-hello-1.0", "run-2", false, viaProxy(proxy), fileSpec());
      assertThat(outcome.written()).isEqualTo(4);
      assertThat(outcome.resumed()).as("run-1's staged files are not reused").isZero();
    }
    assertThat(published(folder)).containsExactly(".staging-run-9", "one.tar.gz", "two.tar.gz");
    assertThat(published(tmp.resolve("folder"))).containsExactly("one.tar.gz", "two.tar.gz");
  }

  @Test
  void anAbortedRunDiscardsWhatItStagedAndPublishesNothing() throws Exception {
    List<ArtifactRef> files = List.of(file("one.tar.gz", 256 << 10, 1), file("two.tar.gz", 256 << 10, 2));
    Path folder = sftp.root().resolve("srv/hello");
    try (DroppingProxy proxy = DroppingProxy.start(sftp.port(), (256 << 10) + (100 << 10))) {
      // the folder comes second: the run dies before it stages anything there
      assertThatThrownBy(() -> publish(files, "release-hello-1.0", "run-1", false, viaProxy(proxy), fileSpec()))
          .isInstanceOf(IOException.class);
      assertThat(published(folder)).containsExactly(".staging-run-1");

      List<PublishTarget> targets = List.of(Targets.open(viaProxy(proxy), ENV), Targets.open(fileSpec(), ENV));
      try {
        Publisher aborted = new Publisher(store, new PublishLedger(store), "release-hello-1.0", "run-1", () -> { });
        aborted.discardStaging(targets);
        aborted.discardStaging(targets); // a retry finds nothing left to remove
      } finally {
        for (PublishTarget target : targets) {
          target.close();
        }
      }
    }
    assertThat(published(folder)).isEmpty();
    assertThat(published(tmp.resolve("folder"))).isEmpty();
  }

  @Test
  void twoFilesOfOneNameStopThePublicationBeforeAnythingIsStaged() throws Exception {
    // the review's attack: docs.outputs [a/html, b/html] made two archives of one name
    List<ArtifactRef> files = List.of(file("hello-1.0.0-docs-html.tar.gz", 1000, 1),
        file("hello-1.0.0-docs-html.tar.gz", 1000, 2), file("release.json", 100, 3));
    StageFailure refused = catchFailure(() -> publish(files, "run-1", false, fileSpec(), s3Spec()));
    assertThat(refused.type()).isEqualTo(Failures.PUBLISH_CONFLICT);
    assertThat(refused.getMessage()).startsWith("nothing was published: two files of this release have one name:"
        + " hello-1.0.0-docs-html.tar.gz (source archive sha256:" + files.get(0).sha256() + ", source archive sha256:"
        + files.get(1).sha256() + ")");
    assertThat(published(tmp.resolve("folder"))).isEmpty();
    assertThat(s3.client().listObjectsV2(b -> b.bucket("releases")).contents()).isEmpty();
  }

  @Test
  void aMoveIntoPlaceNeverReplacesAFileThatAppearedAfterTheCheck() throws Exception {
    ArtifactRef mine = file("a.tar.gz", 1000, 1);
    try (WebDavServer dav = WebDavServer.start(tmp.resolve("dav"), "dav-secret")) {
      TargetPolicy davSpec = new TargetPolicy(dav.url("releases/"), null, "env:DAV_PASSWORD", null, null, null, null,
          null, null, null, List.of("*"));
      for (TargetPolicy spec : List.of(fileSpec(), sftpSpec(), s3Spec(), davSpec)) {
        try (PublishTarget target = Targets.open(spec, ENV)) {
          target.write(".staging-run-1/a.tar.gz", mine.size(), mine.sha256(), () -> store.open(mine.sha256()));
          byte[] theirs = bytes(500, 9);
          target.write("a.tar.gz", theirs.length, Digests.sha256Hex(theirs), () -> new ByteArrayInputStream(theirs));
          assertThatThrownBy(() -> target.move(".staging-run-1/a.tar.gz", "a.tar.gz")).as(spec.url())
              .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining(spec.url() + "a.tar.gz")
              .hasMessageContaining("appeared there after the check").hasMessageContaining("refused to replace it");
          assertThat(target.sha256("a.tar.gz")).as(spec.url()).contains(Digests.sha256Hex(theirs));
          assertThat(target.sha256(".staging-run-1/a.tar.gz")).as(spec.url()).contains(mine.sha256());
        }
      }
    }
  }

  @Test
  void aFileThatAppearsWhileMovingRefusesThePublicationAndWhatWasMovedIsTakenBack() throws Exception {
    List<ArtifactRef> files = List.of(file("a.tar.gz", 1000, 1), file("release.json", 100, 2));
    byte[] theirs = bytes(100, 9);
    Path folder = tmp.resolve("folder");
    boolean[] planted = {false};
    // once the first file is in place in the folder, someone else writes release.json to the bucket
    Runnable progress = () -> {
      if (!planted[0] && Files.exists(folder.resolve("a.tar.gz"))) {
        s3.client().putObject(b -> b.bucket("releases").key("hello/release.json"), RequestBody.fromBytes(theirs));
        planted[0] = true;
      }
    };
    StageFailure refused;
    List<PublishTarget> targets = List.of(Targets.open(fileSpec(), ENV), Targets.open(s3Spec(), ENV));
    try {
      Publisher publisher = new Publisher(store, new PublishLedger(store), "release-hello-1.0", "run-1", progress);
      refused = catchFailure(() -> publisher.publish(targets, files, false));
    } finally {
      for (PublishTarget target : targets) {
        target.close();
      }
    }
    assertThat(planted[0]).isTrue();
    assertThat(refused.type()).isEqualTo(Failures.PUBLISH_CONFLICT);
    assertThat(refused.getMessage()).startsWith("nothing was published: s3://releases/hello/release.json: an object"
        + " appeared there after the check; the store refused to replace it");
    assertThat(published(folder)).isEmpty();
    assertThat(s3.client().listObjectsV2(b -> b.bucket("releases")).contents()).extracting(o -> o.key())
        .containsExactly("hello/release.json");
    assertThat(Files.readAllBytes(s3.objectFile("releases", "hello/release.json"))).isEqualTo(theirs);
    assertThat(new PublishLedger(store).find(fileSpec().url(), "a.tar.gz")).isEmpty();
  }

  @Test
  void whatARunMovedBeforeItFailedIsTakenBackByAnAbortOrByTheNextRun() throws Exception {
    List<ArtifactRef> files = List.of(file("a.tar.gz", 1000, 1), file("b.tar.gz", 1000, 2),
        file("release.json", 100, 3));
    Path folder = tmp.resolve("folder");
    for (String after : List.of("abort", "resume")) {
      // the worker loses the target once the first file is in place, and no retry gets further
      boolean[] lost = {false};
      Runnable dies = () -> {
        if (!lost[0] && Files.exists(folder.resolve("a.tar.gz"))) {
          lost[0] = true;
          throw new UncheckedIOException(new IOException("connection lost"));
        }
      };
      try (PublishTarget target = Targets.open(fileSpec(), ENV)) {
        Publisher run1 = new Publisher(store, new PublishLedger(store), "release-hello-1.0", "run-1", dies);
        assertThatThrownBy(() -> run1.publish(List.of(target), files, false)).hasMessageContaining("connection lost");
        assertThat(published(folder)).contains("a.tar.gz");
        if (after.equals("abort")) {
          run1.discardStaging(List.of(target));
          assertThat(published(folder)).as("an aborted release leaves nothing").isEmpty();
        } else {
          // the next run (a resumed release) starts from nothing, whatever the ended run left
          Publisher run2 = new Publisher(store, new PublishLedger(store), "release-hello-1.0", "run-2", () -> { });
          assertThat(run2.publish(List.of(target), files, false).written()).isEqualTo(3);
          assertThat(published(folder)).containsExactly("a.tar.gz", "b.tar.gz", "release.json");
        }
      }
    }
  }

  @Test
  void aBlobDamagedInTheStoreIsNeverSent() throws Exception {
    ArtifactRef archive = file("a.tar.gz", 1000, 1);
    String sha256 = archive.sha256();
    Files.write(tmp.resolve("store/blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256), bytes(1000, 2));
    StageFailure refused = catchFailure(() -> publish(List.of(archive), "run-1", false, fileSpec()));
    assertThat(refused.type()).isEqualTo(Failures.DIGEST_MISMATCH);
    assertThat(refused.getMessage()).startsWith("nothing was published: a.tar.gz changed after it was built: blob"
        + " sha256:" + sha256).contains("moved to quarantine");
    assertThat(published(tmp.resolve("folder"))).isEmpty();
  }

  @Test
  void theLedgerKnowsATargetHoweverItsUrlIsWritten() throws Exception {
    publish(List.of(file("a.tar.gz", 1000, 1)), "run-1", false, fileSpec());
    Files.delete(tmp.resolve("folder/a.tar.gz"));
    String url = fileSpec().url();
    TargetPolicy respelled = TargetPolicy.at(url.replace("/folder/", "//./folder//"), List.of("*"));
    StageFailure refused = catchFailure(() -> publish(List.of(file("a.tar.gz", 1000, 2)), "run-2", false, respelled));
    assertThat(refused.type()).isEqualTo(Failures.ALREADY_PUBLISHED);
    assertThat(refused.getMessage()).contains("a.tar.gz (was published as, now gone, sha256:");
    assertThat(tmp.resolve("folder/a.tar.gz")).doesNotExist();
  }

  private TargetPolicy viaProxy(DroppingProxy proxy) {
    return new TargetPolicy("sftp://release@127.0.0.1:" + proxy.port() + "/srv/hello/", "file:" + clientKey, null,
        null, sftp.hostKeyFingerprint(), null, null, null, null, null, List.of("*"));
  }

  @Test
  void onS3AFileBeyondThePartLimitsGoesUpAndIsMovedIntoPlaceInPartsAndARerunSendsNothing() throws Exception {
    // the limits scaled down from 64 MiB / 5 GiB, so that a 13 MiB file crosses both: three parts each way
    S3Target.PartSizes small = new S3Target.PartSizes(6 << 20, 5 << 20, 5 << 20);
    List<ArtifactRef> files = List.of(file("big.tar.xz", 13 << 20, 1), file("release.json", 2000, 2));
    try (PublishTarget target = ((S3Target) Targets.open(s3Spec(), ENV)).withPartSizes(small)) {
      ArtifactRef big = files.get(0);
      target.write("probe/big.tar.xz", big.size(), big.sha256(), () -> store.open(big.sha256()));
      assertThat(s3.client().headObject(b -> b.bucket("releases").key("hello/probe/big.tar.xz")).eTag())
          .as("written in parts").endsWith("-3\"");
      assertThat(target.sha256("probe/big.tar.xz")).contains(big.sha256());
      target.deleteFolder("probe/");
    }
    for (int run = 1; run <= 2; run++) {
      try (PublishTarget target = ((S3Target) Targets.open(s3Spec(), ENV)).withPartSizes(small)) {
        Publisher.Outcome outcome = new Publisher(store, new PublishLedger(store), "release-hello-1.0", "run-" + run,
            () -> { }).publish(List.of(target), files, false);
        assertThat(outcome.written()).isEqualTo(run == 1 ? 2 : 0);
        assertThat(outcome.alreadyPublished()).isEqualTo(run == 1 ? 0 : 2);
      }
    }
    assertThat(Files.readAllBytes(s3.objectFile("releases", "hello/big.tar.xz"))).isEqualTo(bytes(13 << 20, 1));
    assertThat(s3.client().headObject(b -> b.bucket("releases").key("hello/big.tar.xz")).eTag())
        .as("a multipart object's ETag ends in its part count").endsWith("-3\"");
    assertThat(s3.client().listObjectsV2(b -> b.bucket("releases")).contents()).extracting(o -> o.key())
        .containsExactlyInAnyOrder("hello/big.tar.xz", "hello/release.json");
    assertThat(s3.client().listMultipartUploads(b -> b.bucket("releases")).uploads()).isEmpty();
  }

  @Test
  void aDryRunStagesAndVerifiesButLeavesNothingBehind() throws Exception {
    List<ArtifactRef> files = List.of(file("a.tar.gz", 5000, 1), file("release.json", 100, 2));
    Publisher.Outcome outcome = publish(files, "run-1", true, fileSpec(), sftpSpec(), s3Spec());
    assertThat(outcome.written()).isZero();
    assertThat(outcome.wouldPublish()).hasSize(6).contains("s3://releases/hello/release.json");
    assertThat(tmp.resolve("folder")).isEmptyDirectory();
    assertThat(published(sftp.root().resolve("srv/hello"))).isEmpty();
    assertThat(s3.client().listObjectsV2(b -> b.bucket("releases")).contents()).isEmpty();
  }

  @Test
  void aWebDavServerThatThrottlesIsWaitedForAsItAsksAndARerunSendsNothing() throws Exception {
    List<ArtifactRef> files = List.of(file("a.tar.gz", 5000, 1), file("release.json", 100, 2));
    try (WebDavServer dav = WebDavServer.start(tmp.resolve("dav"), "dav-secret")) {
      TargetPolicy spec = new TargetPolicy(dav.url("releases/1.0.0/"), null, "env:DAV_PASSWORD", null, null, null, null,
          null, null, null, List.of("*"));
      dav.throttleNextPuts(1);
      List<Duration> waits = new ArrayList<>();
      Publisher.Outcome outcome;
      try (PublishTarget target = WebDavTarget.open(spec, ENV, waits::add)) {
        outcome = new Publisher(store, new PublishLedger(store), "release-hello-1.0", "run-1", () -> { })
            .publish(List.of(target), files, false);
      }
      assertThat(waits).as("waited as Retry-After: 1 asks").containsExactly(Duration.ofSeconds(1));
      assertThat(outcome.written()).isEqualTo(2);
      assertThat(dav.puts()).isEqualTo(3);
      Path folder = dav.root().resolve("releases/1.0.0");
      assertThat(published(folder)).containsExactly("a.tar.gz", "release.json");
      assertThat(Files.readAllBytes(folder.resolve("a.tar.gz"))).isEqualTo(bytes(5000, 1));

      Publisher.Outcome again = publish(files, "run-2", false, spec);
      assertThat(again.written()).isZero();
      assertThat(again.alreadyPublished()).isEqualTo(2);
      assertThat(dav.puts()).isEqualTo(3);

      TargetPolicy wrongPassword = new TargetPolicy(spec.url(), null, "env:S3_SECRET", null, null, null, null, null, null,
          null, List.of("*"));
      StageFailure refused = catchFailure(() -> publish(files, "run-3", false, wrongPassword));
      assertThat(refused.type()).isEqualTo(Failures.TARGET_REFUSED);
      assertThat(refused.getMessage()).contains("refused user deployer").contains("HTTP 401");
    }
  }

  @Test
  void aWrongKeyOrPasswordIsRefusedAndSaysSo() throws Exception {
    Path otherKey = SftpServer.writeKey(SftpServer.newKey(), tmp.resolve("other_key"));
    TargetPolicy spec = new TargetPolicy(sftpUrl(), "file:" + otherKey, null, knownHosts.toString(), null, null, null,
        null, null, null, List.of("*"));
    StageFailure refused = catchFailure(() -> Targets.open(spec, ENV).close());
    assertThat(refused.type()).isEqualTo(Failures.TARGET_REFUSED);
    assertThat(refused.getMessage()).contains("refused to log in release with the key file:" + otherKey);

    Map<String, String> env = Map.of("SFTP_PASSWORD", "not-the-password");
    TargetPolicy withPassword = new TargetPolicy(sftpUrl(), null, "env:SFTP_PASSWORD", knownHosts.toString(), null, null,
        null, null, null, null, List.of("*"));
    StageFailure wrongPassword = catchFailure(() -> Targets.open(withPassword, env).close());
    assertThat(wrongPassword.type()).isEqualTo(Failures.TARGET_REFUSED);
    assertThat(wrongPassword.getMessage()).contains("with the password env:SFTP_PASSWORD")
        .doesNotContain("not-the-password");
    Targets.open(withPassword, Map.of("SFTP_PASSWORD", SftpServer.PASSWORD)).close();
  }

  @Test
  void anUnknownOrChangedHostKeyIsRefused() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
    StageFailure unknown = catchFailure(() -> Targets.open(new TargetPolicy(sftpUrl(), "file:" + clientKey, null,
        empty.toString(), null, null, null, null, null, null, List.of("*")), ENV).close());
    assertThat(unknown.type()).isEqualTo(Failures.TARGET_REFUSED);
    assertThat(unknown.getMessage()).contains("unknown host key").contains(sftp.hostKeyFingerprint())
        .contains("ssh-keyscan -p " + sftp.port());

    String otherFingerprint;
    Path otherKnownHosts = tmp.resolve("other_known_hosts");
    try (SftpServer other = SftpServer.start(tmp.resolve("other-root"))) {
      otherFingerprint = other.hostKeyFingerprint();
      other.writeKnownHosts(otherKnownHosts, sftp.port());
    }
    StageFailure listedOther = catchFailure(() -> Targets.open(new TargetPolicy(sftpUrl(), "file:" + clientKey, null,
        otherKnownHosts.toString(), null, null, null, null, null, null, List.of("*")), ENV).close());
    assertThat(listedOther.getMessage()).contains("host key mismatch")
        .contains("presented " + sftp.hostKeyFingerprint()).contains("lists " + otherFingerprint);

    StageFailure changed = catchFailure(() -> Targets.open(new TargetPolicy(sftpUrl(), "file:" + clientKey, null,
        null, otherFingerprint, null, null, null, null, null, List.of("*")), ENV).close());
    assertThat(changed.type()).isEqualTo(Failures.TARGET_REFUSED);
    assertThat(changed.getMessage()).contains("host key mismatch").contains("presented " + sftp.hostKeyFingerprint())
        .contains("pins hostKey " + otherFingerprint);
  }

  @Test
  void aRevokedHostKeyIsRefusedWhereverTheLineStandsAndACertificateAuthorityIsNoHostKey() throws Exception {
    String line = Files.readString(knownHosts).trim();
    String key = line.substring(line.indexOf(' ') + 1);
    Path revoked = Files.writeString(tmp.resolve("revoked_known_hosts"), line + "\n@revoked * " + key + "\n");
    StageFailure refused = catchFailure(() -> Targets.open(new TargetPolicy(sftpUrl(), "file:" + clientKey, null,
        revoked.toString(), null, null, null, null, null, null, List.of("*")), ENV).close());
    assertThat(refused.type()).isEqualTo(Failures.TARGET_REFUSED);
    assertThat(refused.getMessage()).contains("host key " + sftp.hostKeyFingerprint())
        .contains("is marked @revoked in " + revoked);

    // a CA's key vouches for host certificates only, even when it is the server's own key
    Path authority = Files.writeString(tmp.resolve("ca_known_hosts"), "@cert-authority " + line + "\n");
    StageFailure ca = catchFailure(() -> Targets.open(new TargetPolicy(sftpUrl(), "file:" + clientKey, null,
        authority.toString(), null, null, null, null, null, null, List.of("*")), ENV).close());
    assertThat(ca.type()).isEqualTo(Failures.TARGET_REFUSED);
    assertThat(ca.getMessage()).contains("names a @cert-authority for [127.0.0.1]:" + sftp.port())
        .contains("host certificates are not accepted here").contains("hostKey: " + sftp.hostKeyFingerprint());
  }

  @Test
  void aWrongS3SecretIsRefusedAndSaysSo() throws Exception {
    Map<String, String> env = Map.of("S3_KEY", S3ProxyServer.ACCESS_KEY, "S3_SECRET", "not-the-secret");
    try (PublishTarget target = Targets.open(s3Spec(), env)) {
      StageFailure refused = catchFailure(() -> target.size("a.tar.gz"));
      assertThat(refused.type()).isEqualTo(Failures.TARGET_REFUSED);
      assertThat(refused.getMessage()).contains("refused the credentials");
    }
  }

  @Test
  void aReleaseEveryTargetHoldsIsFoundAndItsFilesAreBroughtIntoAStoreThatLacksThem() throws Exception {
    Release release = release(1);
    publish(release.all(), "run-1", false, fileSpec(), sftpSpec(), s3Spec());

    PublishedRelease found = findPublished(store, release.content(), fileSpec(), sftpSpec(), s3Spec());
    assertThat(found.complete()).isTrue();
    assertThat(found.releaseJson()).isEqualTo(release.releaseJson());
    assertThat(found.checksums()).isEqualTo(release.checksums());
    assertThat(found.files()).containsExactlyInAnyOrderElementsOf(release.files());

    // another worker's store, which never saw this release: the files come from the targets, checked
    ArtifactStore empty = new LocalArtifactStore(tmp.resolve("empty-store"));
    PublishedRelease fromTargets = findPublished(empty, release.content(), sftpSpec(), fileSpec());
    assertThat(fromTargets.complete()).isTrue();
    for (ArtifactRef file : release.all()) {
      try (var in = empty.open(file.sha256())) {
        assertThat(in.readAllBytes()).as(file.name()).isEqualTo(Files.readAllBytes(tmp.resolve("folder")
            .resolve(file.name())));
      }
    }
  }

  @Test
  void aReleaseIsNotFoundPublishedWhenAnyTargetLacksAFileOrHoldsOtherContent() throws Exception {
    Release release = release(1);
    publish(release.all(), "run-1", false, fileSpec(), sftpSpec());
    Path folder = tmp.resolve("folder");

    // other content under the same names: the upload refuses it; this only says "not this release"
    Release other = release(2);
    assertThat(findPublished(store, other.content(), fileSpec(), sftpSpec())).isEqualTo(PublishedRelease.NONE);
    // more content than was published (the docs were skipped back then)
    List<ArtifactRef> withDocs = new ArrayList<>(release.content());
    withDocs.add(file("hello-docs.tar.gz", 300, 11));
    assertThat(findPublished(store, withDocs, fileSpec(), sftpSpec()).complete()).isFalse();
    // a target that gained the release later than the others has nothing yet
    Path laterTarget = Files.createDirectories(tmp.resolve("later"));
    assertThat(findPublished(store, release.content(), fileSpec(),
        TargetPolicy.at(laterTarget.toUri().toString(), List.of("*"))).complete()).isFalse();

    // the run died before it moved the manifest files into place on the folder: published in part
    Files.delete(folder.resolve("release.json"));
    PublishedRelease partly = findPublished(store, release.content(), fileSpec(), sftpSpec());
    assertThat(partly.complete()).isFalse();
    assertThat(partly.partly()).as("the ledger records its content on both targets").isTrue();
    // without the ledger nothing says this release was ever published
    ArtifactStore empty = new LocalArtifactStore(tmp.resolve("empty-store"));
    assertThat(findPublished(empty, release.content(), fileSpec(), sftpSpec())).isEqualTo(PublishedRelease.NONE);

    // a release.json put back by hand with other bytes than the ledger recorded is not this release's
    Files.writeString(folder.resolve("release.json"), "{\"artifacts\": []}");
    assertThat(findPublished(store, release.content(), fileSpec()).complete()).isFalse();
    // nor is one whose listed files are not all there
    Files.copy(sftp.root().resolve("srv/hello/release.json"), folder.resolve("release.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(findPublished(store, release.content(), fileSpec()).complete()).isTrue();
    Files.delete(folder.resolve("provenance.intoto.json"));
    assertThat(findPublished(store, release.content(), fileSpec()).complete()).isFalse();
  }

  /** A small release: content made from the seed, a provenance and bundle, and a release.json listing them. */
  private record Release(List<ArtifactRef> content, List<ArtifactRef> files, ArtifactRef checksums,
      ArtifactRef releaseJson) {
    List<ArtifactRef> all() {
      List<ArtifactRef> all = new ArrayList<>(files);
      all.add(checksums);
      all.add(releaseJson);
      return all;
    }
  }

  private Release release(int seed) throws IOException {
    List<ArtifactRef> content = List.of(file("hello.tar.gz", 2000, seed),
        stored("hello.tar.gz.spdx.json", bytes(500, seed + 100), ArtifactKind.SBOM));
    List<ArtifactRef> files = new ArrayList<>(content);
    files.add(stored("provenance.intoto.json", bytes(400, seed + 200), ArtifactKind.PROVENANCE));
    files.add(stored("provenance.intoto.json.sigstore", bytes(300, seed + 300), ArtifactKind.SIGNATURE));
    StringBuilder listed = new StringBuilder("{\"project\": \"hello\", \"artifacts\": [");
    StringBuilder sums = new StringBuilder();
    for (ArtifactRef file : files) {
      listed.append(file == files.get(0) ? "" : ", ").append("{\"name\": \"").append(file.name())
          .append("\", \"kind\": \"").append(file.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append("\", \"size\": ").append(file.size()).append(", \"sha256\": \"").append(file.sha256())
          .append("\"}");
      sums.append(file.sha256()).append("  ").append(file.name()).append('\n');
    }
    return new Release(content, files, stored("SHA256SUMS", sums.toString().getBytes(), ArtifactKind.CHECKSUMS),
        stored("release.json", listed.append("]}").toString().getBytes(), ArtifactKind.MANIFEST));
  }

  private ArtifactRef stored(String name, byte[] content, ArtifactKind kind) throws IOException {
    Path file = Files.createTempFile(tmp, "", name);
    Files.write(file, content);
    return store.put(file, name, kind);
  }

  private PublishedRelease findPublished(ArtifactStore in, List<ArtifactRef> content, TargetPolicy... specs)
      throws IOException {
    List<PublishTarget> targets = new ArrayList<>();
    try {
      for (TargetPolicy spec : specs) {
        targets.add(Targets.open(spec, ENV));
      }
      return new Publisher(in, new PublishLedger(in), "release-hello-1.0", "run-2", () -> { })
          .findPublished(targets, content, tmp.resolve("scratch"));
    } finally {
      for (PublishTarget target : targets) {
        target.close();
      }
    }
  }

  private Publisher.Outcome publish(List<ArtifactRef> files, String run, boolean dryRun, TargetPolicy... specs)
      throws IOException {
    return publish(files, "release-hello-1.0", run, dryRun, specs);
  }

  private Publisher.Outcome publish(List<ArtifactRef> files, String release, String run, boolean dryRun,
      TargetPolicy... specs) throws IOException {
    List<PublishTarget> targets = new ArrayList<>();
    try {
      for (TargetPolicy spec : specs) {
        targets.add(Targets.open(spec, ENV));
      }
      return new Publisher(store, new PublishLedger(store), release, run, () -> { }).publish(targets, files, dryRun);
    } finally {
      for (PublishTarget target : targets) {
        target.close();
      }
    }
  }

  private TargetPolicy fileSpec() {
    // as the spec loader writes it: the folder URL ends in / whether or not the folder exists yet
    return TargetPolicy.at(tmp.resolve("folder").toUri().toString().replaceFirst("/?$", "/"), List.of("*"));
  }

  private String sftpUrl() {
    return "sftp://release@127.0.0.1:" + sftp.port() + "/srv/hello/";
  }

  private TargetPolicy sftpSpec() {
    return new TargetPolicy(sftpUrl(), "file:" + clientKey, null, knownHosts.toString(), null, null, null, null, null,
        null, List.of("*"));
  }

  private TargetPolicy s3Spec() {
    return new TargetPolicy("s3://releases/hello/", null, null, null, null, s3.endpoint().toString(), null, true,
        "env:S3_KEY", "env:S3_SECRET", List.of("*"));
  }

  private ArtifactRef file(String name, int size, int seed) throws IOException {
    Path file = tmp.resolve("in-" + seed);
    Files.write(file, bytes(size, seed));
    return store.put(file, name, ArtifactKind.SOURCE_ARCHIVE);
  }

  private static byte[] bytes(int size, int seed) {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return content;
  }

  private static List<String> published(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private static StageFailure catchFailure(Call call) {
    try {
      call.run();
    } catch (StageFailure e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a StageFailure", e);
    }
    throw new AssertionError("expected a StageFailure, but it succeeded");
  }
}
