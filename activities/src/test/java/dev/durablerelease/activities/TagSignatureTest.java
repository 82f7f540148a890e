package dev.durablerelease.activities;

import static dev.durablerelease.testing.StageHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.SampleStagesTestBase;
import dev.durablerelease.testing.StageHarness;
import dev.durablerelease.testing.TestPolicies;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Map;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPython verify-input check: tags signed with real keys made here (RSA OpenPGP keys by gpg, signed by JGit;
 * ed25519 SSH keys by ssh-keygen) pass; unsigned, unknown-key, bad-signature and moved tags stop checkout.
 */
class TagSignatureTest extends SampleStagesTestBase {
  private static final String GOOD = "release@example.invalid";
  private static final String OTHER = "mallory@example.invalid";
  private static final String EXPIRED = "old@example.invalid";
  private static final String REVOKED = "revoked@example.invalid";
  private static final String NOT_SIGNING = "certifier@example.invalid";

  @TempDir
  static Path keys;

  private static String goodFingerprint;

  @BeforeAll
  static void makeKeys() throws Exception {
    Path home = Files.createDirectory(keys.resolve("gnupg"), java.nio.file.attribute.PosixFilePermissions
        .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    // JGit's OpenPGP signer reads secret keys from one GnuPG home per JVM, fixed when its key locator class loads
    System.setProperty("jgit.gpg.home", home.toString());
    for (String email : new String[] {GOOD, OTHER}) {
      gpg("--quick-gen-key", "Release Bot <" + email + ">", "rsa2048", "sign", "never");
    }
    gpg("--armor", "--output", keys.resolve("release-keys.asc").toString(), "--export", GOOD);
    // keys no tag may be signed with: one that expired (made with a clock set back to 2020), one revoked with the
    // certificate gpg made for it, and one that may only certify, with an encryption subkey
    gpg("--faked-system-time", "20200101T000000", "--quick-gen-key", "Old Bot <" + EXPIRED + ">", "rsa2048", "sign",
        "1d");
    gpg("--quick-gen-key", "Revoked Bot <" + REVOKED + ">", "rsa2048", "sign", "never");
    String revoked = fingerprint(REVOKED);
    String certificate = Files.readString(keys.resolve("gnupg/openpgp-revocs.d/" + revoked + ".rev"));
    Files.writeString(keys.resolve("revoke.asc"), certificate.replace(":-----BEGIN", "-----BEGIN"));
    gpg("--import", keys.resolve("revoke.asc").toString());
    gpg("--quick-gen-key", "Certifying Bot <" + NOT_SIGNING + ">", "rsa2048", "cert", "never");
    gpg("--quick-add-key", fingerprint(NOT_SIGNING), "rsa2048", "encr", "never");
    gpg("--armor", "--output", keys.resolve("all-keys.asc").toString(), "--export", GOOD, EXPIRED, REVOKED,
        NOT_SIGNING);
    goodFingerprint = fingerprint(GOOD);
    for (String name : new String[] {"release_ed25519", "other_ed25519"}) {
      run(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", keys.resolve(name).toString());
    }
    String publicKey = Files.readString(keys.resolve("release_ed25519.pub")).trim();
    Files.writeString(keys.resolve("allowed_signers"), GOOD + " namespaces=\"git\" " + publicKey + "\n");
  }

  @AfterAll
  static void stopAgent() throws Exception {
    run(Map.of("GNUPGHOME", keys.resolve("gnupg").toString()), "gpgconf", "--kill", "gpg-agent");
    System.clearProperty("jgit.gpg.home");
  }

  private static String fingerprint(String email) throws Exception {
    return gpg("--with-colons", "--list-keys", email).lines().filter(l -> l.startsWith("fpr:")).findFirst()
        .orElseThrow().split(":")[9];
  }

  private static String gpg(String... args) throws Exception {
    String[] command = new String[args.length + 5];
    command[0] = "gpg";
    command[1] = "--batch";
    command[2] = "--pinentry-mode";
    command[3] = "loopback";
    command[4] = "--passphrase=";
    System.arraycopy(args, 0, command, 5, args.length);
    return run(Map.of("GNUPGHOME", keys.resolve("gnupg").toString()), command);
  }

  private static String run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    return out;
  }

  /** Signs v1.0.0 on HEAD with JGit: OpenPGP with the key of {@code email}, or SSH with the key file. */
  private void signedTag(String format, String key) throws Exception {
    try (Git git = Git.open(repo.dir().toFile())) {
      Config config = new Config();
      config.setString("gpg", null, "format", format);
      config.setString("user", null, "signingKey", key);
      git.tag().setName(SampleRepository.TAG).setMessage("hello 1.0.0\n").setSigned(true)
          .setGpgConfig(new GpgConfig(config)).setSigningKey(key)
          .setTagger(new PersonIdent("Release Bot", GOOD, SampleRepository.COMMIT_TIME, ZoneOffset.UTC))
          .setForceUpdate(true).call();
    }
  }

  /**
   * Signs v1.0.0 on HEAD with BouncyCastle and a secret key exported from gpg, which, unlike gpg and JGit, signs with
   * any key it is given: the primary key of {@code email}, or its subkey.
   */
  private void signedWithBouncyCastle(String email, boolean subkey) throws Exception {
    PGPSecretKeyRing ring;
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(
        gpg("--armor", "--export-secret-keys", email).getBytes(StandardCharsets.US_ASCII)))) {
      ring = new PGPSecretKeyRing(in, new JcaKeyFingerprintCalculator());
    }
    PGPSecretKey secret = null;
    for (PGPSecretKey key : ring) {
      if (key.isMasterKey() != subkey) {
        secret = key;
      }
    }
    PGPPrivateKey privateKey = secret.extractPrivateKey(null);
    try (Git git = Git.open(repo.dir().toFile()); ObjectInserter inserter = git.getRepository().newObjectInserter()) {
      Repository r = git.getRepository();
      TagBuilder tag = new TagBuilder();
      tag.setObjectId(r.resolve("HEAD"), Constants.OBJ_COMMIT);
      tag.setTag(SampleRepository.TAG);
      tag.setTagger(new PersonIdent("Release Bot", email, SampleRepository.COMMIT_TIME, ZoneOffset.UTC));
      tag.setMessage("hello 1.0.0\n");
      byte[] payload = tag.build();
      PGPSignatureGenerator generator = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
          secret.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), secret.getPublicKey());
      generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
      generator.update(payload);
      ByteArrayOutputStream armored = new ByteArrayOutputStream();
      try (ArmoredOutputStream out = ArmoredOutputStream.builder().clearHeaders().build(armored)) {
        generator.generate().encode(out);
      }
      ObjectId signed = inserter.insert(Constants.OBJ_TAG, ByteBuffer.allocate(payload.length + armored.size())
          .put(payload).put(armored.toByteArray()).array());
      inserter.flush();
      RefUpdate update = r.updateRef(Constants.R_TAGS + SampleRepository.TAG);
      update.setNewObjectId(signed);
      update.setForceUpdate(true);
      update.update();
    }
  }

  /** A checkout of the sample on a source worker whose policy checks hello's tags this way. */
  private record Attempt(Policy policy, CheckoutInput input) {}

  private Attempt input(String tagSignature, String expectedCommit) throws Exception {
    ReleaseSpec spec = SpecLoader.load("project: hello\nversion: 1.0.0\n", "test",
        new SpecLoader.Overrides(repo.url(), SampleRepository.VERSION));
    Policy policy = TestPolicies.of("""
        projects:
          hello:
            repositories: ["**"]
            tagSignature: %s
        """.formatted(tagSignature));
    return new Attempt(policy, new CheckoutInput(repo.url(), SampleRepository.VERSION, SampleRepository.TAG,
        expectedCommit, spec, false));
  }

  private Checkout checkout(Attempt attempt) {
    try (StageHarness source = new StageHarness(tmp.resolve("worker"), CommandRunner.sandboxed(), "source-worker",
        attempt.policy())) {
      return source.source().checkout(attempt.input());
    }
  }

  private String gpgSpec() {
    return "{gpgKeyring: " + keys.resolve("release-keys.asc") + "}";
  }

  private String sshSpec() {
    return "{allowedSigners: " + keys.resolve("allowed_signers") + "}";
  }

  private ApplicationFailure refused(Attempt attempt) {
    ApplicationFailure f = failure(() -> checkout(attempt));
    assertThat(f.getType()).isEqualTo(Failures.TAG_SIGNATURE_INVALID);
    assertThat(f.isNonRetryable()).isTrue();
    return f;
  }

  @Test
  void gpgSignedTagByATrustedKeyPasses() throws Exception {
    signedTag("openpgp", GOOD);
    // git itself agrees that JGit's signature is good
    run(Map.of("GNUPGHOME", keys.resolve("gnupg").toString()), "git", "-C", repo.url(), "verify-tag",
        SampleRepository.TAG);
    Checkout checkout = checkout(input(gpgSpec(), repo.head()));
    assertThat(checkout.commit()).isEqualTo(repo.head());
  }

  @Test
  void sshSignedTagByAnAllowedSignerPasses() throws Exception {
    signedTag("ssh", keys.resolve("release_ed25519").toString());
    Checkout checkout = checkout(input(sshSpec(), null));
    assertThat(checkout.commit()).isEqualTo(repo.head());
  }

  @Test
  void unsignedAndLightweightTagsAreRefusedNamingTheExpectedKey() throws Exception {
    assertThat(refused(input(gpgSpec(), null)).getOriginalMessage())
        .contains("tag v1.0.0 is not signed").contains(goodFingerprint).contains("Release Bot <" + GOOD + ">");
    try (Git git = Git.open(repo.dir().toFile())) {
      git.tag().setName(SampleRepository.TAG).setAnnotated(false).setForceUpdate(true).call();
    }
    assertThat(refused(input(sshSpec(), null)).getOriginalMessage())
        .contains("lightweight tag").contains("a signer of " + keys.resolve("allowed_signers") + " (" + GOOD + ")");
  }

  @Test
  void tagsSignedByKeysNotTrustedAreRefused() throws Exception {
    signedTag("openpgp", OTHER);
    assertThat(refused(input(gpgSpec(), null)).getOriginalMessage())
        .contains("which is not in " + keys.resolve("release-keys.asc")).contains(goodFingerprint);
    signedTag("ssh", keys.resolve("other_ed25519").toString());
    assertThat(refused(input(sshSpec(), null)).getOriginalMessage())
        .contains("SSH signature that does not verify").contains("(" + GOOD + ")");
    // an SSH-signed tag when only OpenPGP keys are trusted
    assertThat(refused(input(gpgSpec(), null)).getOriginalMessage()).contains("has no allowedSigners");
  }

  @Test
  void tagsSignedByExpiredRevokedOrNonSigningKeysAreRefusedSayingWhich() throws Exception {
    String allKeys = "{gpgKeyring: " + keys.resolve("all-keys.asc") + "}";
    // the signer itself makes good signatures: a trusted key's passes
    signedWithBouncyCastle(GOOD, false);
    assertThat(checkout(input(allKeys, null)).commit()).isEqualTo(repo.head());

    signedWithBouncyCastle(EXPIRED, false);
    assertThat(refused(input(allKeys, null)).getOriginalMessage())
        .contains("is signed by OpenPGP key " + fingerprint(EXPIRED) + " (Old Bot <" + EXPIRED + ">)")
        .contains("which expired on 2020-01-02");
    signedWithBouncyCastle(REVOKED, false);
    assertThat(refused(input(allKeys, null)).getOriginalMessage())
        .contains("OpenPGP key " + fingerprint(REVOKED) + " (Revoked Bot <" + REVOKED + ">), which is revoked");
    signedWithBouncyCastle(NOT_SIGNING, false);
    assertThat(refused(input(allKeys, null)).getOriginalMessage())
        .contains("OpenPGP key " + fingerprint(NOT_SIGNING)).contains("which may not sign (key flags: certify)");
    signedWithBouncyCastle(NOT_SIGNING, true);
    assertThat(refused(input(allKeys, null)).getOriginalMessage())
        .contains("(subkey of " + fingerprint(NOT_SIGNING) + " Certifying Bot <" + NOT_SIGNING + ">), which may not"
            + " sign (key flags: encrypt");
  }

  @Test
  void aTagChangedAfterSigningHasABadSignature() throws Exception {
    signedTag("openpgp", GOOD);
    try (Git git = Git.open(repo.dir().toFile()); ObjectInserter inserter = git.getRepository().newObjectInserter()) {
      Repository r = git.getRepository();
      ObjectId tagId = r.exactRef(Constants.R_TAGS + SampleRepository.TAG).getObjectId();
      String raw = new String(r.open(tagId).getBytes(), StandardCharsets.UTF_8);
      ObjectId forged = inserter.insert(Constants.OBJ_TAG,
          raw.replace("hello 1.0.0\n", "hello 1.0.0 (reviewed)\n").getBytes(StandardCharsets.UTF_8));
      inserter.flush();
      RefUpdate update = r.updateRef(Constants.R_TAGS + SampleRepository.TAG);
      update.setNewObjectId(forged);
      update.setForceUpdate(true);
      update.update();
    }
    assertThat(refused(input(gpgSpec(), null)).getOriginalMessage()).contains("bad OpenPGP signature");
  }

  @Test
  void aSignedTagMovedToAnotherCommitIsRefused() throws Exception {
    String reviewed = repo.head();
    repo.writeFile("src/extra.c", "int extra;\n").commitAll("after review");
    signedTag("openpgp", GOOD);
    ApplicationFailure f = failure(() -> checkout(input(gpgSpec(), reviewed)));
    assertThat(f.getType()).isEqualTo(Failures.COMMIT_MISMATCH);
    assertThat(f.getOriginalMessage()).contains("expectedCommit in the workflow input is " + reviewed);
  }
}
