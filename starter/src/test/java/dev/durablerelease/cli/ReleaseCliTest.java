package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.worker.LoopbackTemporal;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.Releases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user runs it against a Temporal server in another role: a port-bound server on loopback, workers
 * serving every queue, and {@code release run} with TEMPORAL_ADDRESS pointing at the server.
 */
class ReleaseCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private LoopbackTemporal temporal;
  private SampleRepository repo;
  private Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    temporal = LoopbackTemporal.start();
    // the cluster's workers: the built-in dev policy, with the folder "published" as a target
    temporal.serve(Releases.localWorker(tmp, "test-worker").withPolicy(Policy.builtInDev(Map.of("published",
        tmp.resolve("published").toUri().toString()))), ReleaseWorkers.ALL_QUEUES);
    repo = SampleRepository.create(tmp.resolve("hello"));
    env = new HashMap<>(Map.of("TEMPORAL_ADDRESS", temporal.target(), "HOME", tmp.toString()));
  }

  @AfterEach
  void tearDown() {
    temporal.close();
    repo.close();
  }

  private CliRun run(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("run", "--spec", repo.dir().resolve("release.yaml").toString(),
        "--repository", repo.url(), "--store", tmp.resolve("store").toString(),
        "--work-dir", tmp.resolve("cli-work").toString()));
    args.addAll(List.of(extra));
    return CliRun.of(env, args.toArray(String[]::new));
  }

  @Test
  void aDryRunStagesOnTheTargetButPublishesNothingAndDoesNotStandInTheWayOfTheRelease() throws Exception {
    Path target = tmp.resolve("published");
    Path spec = Files.writeString(tmp.resolve("release.yaml"), Files.readString(repo.dir().resolve("release.yaml"))
        + "upload: [published]\n");
    List<String> args = List.of("run", "--spec", spec.toString(), "--repository", repo.url(), "--store",
        tmp.resolve("store").toString(), "--work-dir", tmp.resolve("cli-work").toString());

    List<String> dryRun = new java.util.ArrayList<>(args);
    dryRun.add("--dry-run");
    CliRun dry = CliRun.of(env, dryRun.toArray(String[]::new));
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out()).contains("release release-hello-1.0.0-dry-run started").contains("dry run of hello 1.0.0")
        .containsPattern("upload .*dry run: \\d+ file\\(s\\) staged, verified and removed on 1 target\\(s\\); nothing"
            + " published")
        .contains("dry run: nothing was published").doesNotContain("published to");
    assertThat(target).isEmptyDirectory();

    CliRun real = CliRun.of(env, args.toArray(String[]::new));
    assertThat(real.exitCode()).as(real.toString()).isZero();
    assertThat(real.out()).contains("released hello 1.0.0").contains("published to " + target.toUri());
    assertThat(target.resolve("hello-1.0.0.tar.gz")).exists();
    assertThat(target.resolve("release.json")).exists();
  }

  @Test
  void releaseOfTheSampleLeavesArchivesSbomsChecksumsAndAManifest() throws Exception {
    Path out = tmp.resolve("out");
    CliRun cli = run("--out", out.toString(), "--expected-commit", repo.head());
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).contains("done      checkout").contains("done      testSource")
        .contains("done      buildDocs").contains("skipped   upload").contains("released hello 1.0.0 (tag v1.0.0, commit " + repo.head() + ")");

    // release.json: the release, every artifact with its digest, every stage with status, attempts and times
    JsonNode manifest = JSON.readTree(out.resolve("release.json").toFile());
    assertThat(manifest.get("project").asText()).isEqualTo("hello");
    assertThat(manifest.get("version").asText()).isEqualTo("1.0.0");
    assertThat(manifest.get("tag").asText()).isEqualTo("v1.0.0");
    assertThat(manifest.get("commit").asText()).isEqualTo(repo.head());
    Map<String, String> listed = new TreeMap<>();
    manifest.get("artifacts").forEach(a -> listed.put(a.get("name").asText(), a.get("sha256").asText()));
    List<String> signed = List.of("hello-1.0.0.tar.gz", "hello-1.0.0.tar.gz.spdx.json", "hello-1.0.0.tar.gz.cdx.json",
        "hello-1.0.0-docs-html.tar.gz", "hello-1.0.0-docs-html.tar.gz.spdx.json",
        "hello-1.0.0-docs-html.tar.gz.cdx.json", "provenance.intoto.json");
    List<String> files = new java.util.ArrayList<>(signed);
    signed.forEach(name -> files.add(name + ".sigstore"));
    files.add("trusted_root.json");
    files.add("trust_config.json");
    assertThat(listed).containsOnlyKeys(files);
    manifest.get("artifacts").forEach(a -> assertThat(a.path("bundle").asText(null))
        .isEqualTo(signed.contains(a.get("name").asText()) ? a.get("name").asText() + ".sigstore" : null));
    for (Map.Entry<String, String> artifact : listed.entrySet()) {
      assertThat(Digests.sha256Hex(out.resolve(artifact.getKey()))).isEqualTo(artifact.getValue());
    }
    Map<String, JsonNode> stages = new TreeMap<>();
    manifest.get("stages").forEach(s -> stages.put(s.get("stage").asText(), s));
    assertThat(stages).containsOnlyKeys("checkPolicy", "checkout", "buildSource", "rebuildSource", "testSource",
        "buildDocs", "generateSbom", "approval", "provenance", "sign", "upload");
    assertThat(manifest.get("signing").asText()).as("a dev-signed release says so").isEqualTo("dev");
    assertThat(stages.get("testSource").get("state").asText()).isEqualTo("succeeded");
    assertThat(stages.get("testSource").get("attempts").asInt()).isEqualTo(1);
    assertThat(stages.get("testSource").get("startedAt").asText()).isNotBlank();
    assertThat(stages.get("testSource").get("endedAt").asText()).isNotBlank();
    assertThat(stages.get("upload").get("state").asText()).isEqualTo("not_configured");
    assertThat(manifest.get("logs")).hasSize(2);
    assertThat(manifest.get("sandboxed").asBoolean()).isTrue();
    assertThat(stages.get("testSource").get("sandbox").asText()).isEqualTo("bubblewrap");

    // the archive: file list, modes, mtimes, owners
    Map<String, TarArchiveEntry> entries = new TreeMap<>();
    Map<String, String> fileDigests = new TreeMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GzipCompressorInputStream(Files.newInputStream(out.resolve("hello-1.0.0.tar.gz"))))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        entries.put(e.getName(), e);
        if (e.isFile()) {
          fileDigests.put(e.getName(), Digests.sha256Hex(tar.readAllBytes()));
        }
      }
    }
    assertThat(entries.keySet()).containsExactly("hello-1.0.0/", "hello-1.0.0/LICENSE", "hello-1.0.0/Makefile",
        "hello-1.0.0/README.md", "hello-1.0.0/docs/", "hello-1.0.0/docs/build.sh", "hello-1.0.0/docs/index.md",
        "hello-1.0.0/release.yaml", "hello-1.0.0/src/", "hello-1.0.0/src/hello.c", "hello-1.0.0/tests/",
        "hello-1.0.0/tests/run-tests.sh");
    assertThat(entries.values()).allSatisfy(e -> {
      assertThat(e.getModTime().toInstant()).isEqualTo(SampleRepository.COMMIT_TIME);
      assertThat(e.getLongUserId()).isZero();
      assertThat(e.getLongGroupId()).isZero();
      assertThat(e.getUserName()).isEmpty();
      assertThat(e.getGroupName()).isEmpty();
    });
    assertThat(entries.get("hello-1.0.0/tests/run-tests.sh").getMode() & 07777).isEqualTo(0755);
    assertThat(entries.get("hello-1.0.0/src/hello.c").getMode() & 07777).isEqualTo(0644);
    assertThat(entries.get("hello-1.0.0/src/").getMode() & 07777).isEqualTo(0755);

    // the SBOM lists every file of the archive with the digest recomputed here
    JsonNode sbom = JSON.readTree(out.resolve("hello-1.0.0.tar.gz.spdx.json").toFile());
    assertThat(sbom.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    assertThat(sbom.get("creationInfo").get("created").asText()).isEqualTo("2026-11-01T12:00:00Z");
    Map<String, String> sbomDigests = new TreeMap<>();
    sbom.get("files").forEach(f -> f.get("checksums").forEach(c -> {
      if (c.get("algorithm").asText().equals("SHA256")) {
        sbomDigests.put(f.get("fileName").asText().substring(2), c.get("checksumValue").asText());
      }
    }));
    assertThat(sbomDigests).isEqualTo(fileDigests);
    assertThat(sbom.get("packages").get(0).get("checksums").get(0).get("checksumValue").asText())
        .isEqualTo(listed.get("hello-1.0.0.tar.gz"));
    // the CycloneDX twins pass cyclonedx-core-java's schema validation for 1.6
    for (String cdx : List.of("hello-1.0.0.tar.gz.cdx.json", "hello-1.0.0-docs-html.tar.gz.cdx.json")) {
      assertThat(new org.cyclonedx.parsers.JsonParser().validate(out.resolve(cdx).toFile(),
          org.cyclonedx.Version.VERSION_16)).as(cdx).isEmpty();
    }

    // SHA256SUMS checks out with the standard tool
    Process check = new ProcessBuilder("sha256sum", "-c", "--strict", "SHA256SUMS").directory(out.toFile())
        .redirectErrorStream(true).start();
    String checked = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor()).as(checked).isZero();
    assertThat(checked.lines()).hasSize(files.size()).allSatisfy(l -> assertThat(l).endsWith(": OK"));
  }

  @Test
  void verifyChecksEveryFileOfTheDevSignedReleaseAndRefusesATamperedCopy() throws Exception {
    Path out = tmp.resolve("out");
    assertThat(run("--out", out.toString()).exitCode()).isZero();
    String[] policy = {"--trusted-root", out.resolve("trusted_root.json").toString(), "--allow-dev",
        "--certificate-identity", DevSigstore.localIdentity(), "--certificate-oidc-issuer", DevSigstore.ISSUER};

    // a dev trust root vouches for nothing beyond this machine: refused unless asked for
    CliRun devRefused = CliRun.of(env, "verify", out.toString(), "--trusted-root",
        out.resolve("trusted_root.json").toString(), "--certificate-identity", DevSigstore.localIdentity(),
        "--certificate-oidc-issuer", DevSigstore.ISSUER);
    assertThat(devRefused.exitCode()).as(devRefused.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(devRefused.err()).contains("is a dev trust root").contains("--allow-dev");

    CliRun verified = CliRun.of(env, concat(new String[] {"verify", out.toString()}, policy));
    assertThat(verified.exitCode()).as(verified.toString()).isZero();
    assertThat(verified.out()).containsPattern("hello-1.0.0.tar.gz +signature +ok: signed by identity "
        + Pattern.quote(DevSigstore.localIdentity()))
        .containsPattern("provenance.intoto.json +signature +ok")
        .containsPattern("hello-1.0.0-docs-html.tar.gz.spdx.json +provenance subject +ok")
        .containsPattern("hello-1.0.0.tar.gz.cdx.json +signature +ok")
        .contains("verified: 13 checks passed");

    CliRun otherSigner = CliRun.of(env, "verify", out.toString(), "--trusted-root",
        out.resolve("trusted_root.json").toString(), "--allow-dev", "--certificate-identity-regexp", ".*@example\\.org",
        "--certificate-oidc-issuer", DevSigstore.ISSUER);
    assertThat(otherSigner.exitCode()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(otherSigner.out()).contains("No provided certificate identities matched");

    Files.writeString(out.resolve("hello-1.0.0.tar.gz"), "not what was signed");
    CliRun tampered = CliRun.of(env, concat(new String[] {"verify", out.toString()}, policy));
    assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(tampered.out())
        .containsPattern("hello-1.0.0.tar.gz +signature +FAILED: Provided artifact digest does not match")
        .containsPattern("hello-1.0.0.tar.gz +provenance subject +FAILED: sha256 is ")
        .contains("NOT verified: 2 of 13 checks failed");

    CliRun noPolicy = CliRun.of(env, "verify", out.toString());
    assertThat(noPolicy.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(noPolicy.err()).contains("--certificate-identity");
  }

  private static String[] concat(String[] a, String[] b) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
        .toArray(String[]::new);
  }

  @Test
  void unknownTagFailsAtCheckoutNamingTheTag() {
    CliRun cli = run("--release-version", "9.9.9");
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    assertThat(cli.err()).contains("release blocked at checkout: tag v9.9.9 does not exist in " + repo.url())
        .contains("latest tags: v1.0.0");
  }

  @Test
  void aRepositoryMissingAnObjectEndsTheReleaseAtOnceWithOneLineNamingTheObject() throws Exception {
    String blob;
    try (Repository git = new FileRepositoryBuilder().setGitDir(repo.dir().resolve(".git").toFile()).build();
        TreeWalk file = TreeWalk.forPath(git, "src/hello.c", git.parseCommit(git.resolve("v1.0.0^{commit}")).getTree())) {
      blob = file.getObjectId(0).name();
    }
    Files.delete(repo.dir().resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2)));

    CliRun cli = run();
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    assertThat(cli.err()).contains("release blocked at checkout: blob " + blob + " (src/hello.c) is missing from git"
        + " repository " + repo.url());
    assertThat(cli.all().split(blob, -1)).as("the object, named once: " + cli).hasSize(2);
    assertThat(cli.out()).as("not retried: a missing object does not come back").doesNotContain("retrying");
    assertThat(cli.all()).doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(").doesNotContain("Exception");
  }

  @Test
  void theTerminalShowsStageLinesAndTheOutcomeUnlessVerboseOrJsonAskForEverything() throws Exception {
    CliRun quiet = run("--release-version", "9.9.9");
    assertThat(quiet.exitCode()).as(quiet.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    assertThat(quiet.log()).as("no log line, so none of the SDK's warnings with stack traces").isEmpty();
    assertThat(quiet.out()).containsPattern("BLOCKED +checkout").containsPattern("FAILED +checkout");
    assertThat(quiet.all().split("tag v9.9.9 does not exist", -1)).as("the reason, once: " + quiet).hasSize(2);

    CliRun verbose = run("--release-version", "9.9.9", "--verbose");
    assertThat(verbose.log()).as(verbose.toString()).contains("WARN  StageRunner - stage checkout blocked")
        .contains("Activity failure").containsPattern("(?m)^\\s+at io\\.temporal\\.");

    CliRun json = run("--release-version", "9.9.9", "--log-format", "json");
    assertThat(json.log().lines()).as(json.toString()).isNotEmpty()
        .allSatisfy(line -> assertThat(JSON.readTree(line).isObject()).isTrue());
    assertThat(json.log()).contains("\"level\":\"WARN\"").contains("\"throwable\"");
  }

  @Test
  void aReleaseRunAgainOnTheClusterWhereItSucceededEndsWithTheFilesOfThatRun() throws Exception {
    CliRun first = run("--out", tmp.resolve("out-1").toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();

    CliRun again = run("--out", tmp.resolve("out-2").toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("release release-hello-1.0.0 is already on the server")
        .contains("released hello 1.0.0 (tag v1.0.0, commit " + repo.head() + ")").doesNotContain("started");
    try (var files = Files.list(tmp.resolve("out-1"))) {
      for (Path file : files.toList()) {
        assertThat(tmp.resolve("out-2").resolve(file.getFileName())).hasSameBinaryContentAs(file);
      }
    }
  }

  @Test
  void tagThatResolvesElsewhereThanExpectedCommitIsRefused() {
    String other = "0".repeat(40);
    CliRun cli = run("--expected-commit", other);
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    assertThat(cli.err()).contains("tag v1.0.0 resolves to " + repo.head() + " but expectedCommit")
        .contains(other);
  }

  @Test
  void malformedSpecIsRefusedBeforeAnythingStartsWithFileAndLine() throws Exception {
    Path spec = Files.writeString(tmp.resolve("broken.yaml"), """
        project: hello
        version: 1.0.0
        test:
          commnd: make test
          timeout: soon
        """);
    CliRun cli = CliRun.of(env, "run", "--spec", spec.toString(), "--repository", repo.url());
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(cli.err()).contains(spec + ":4: test.commnd: unknown key")
        .contains(spec + ":5: test.timeout: \"soon\" is not a duration");
    assertThat(cli.out()).doesNotContain("started");
  }

  @Test
  void docsFoldersWithOneLastNameAreRefusedBeforeAnythingStarts() throws Exception {
    // the review's attack: two docs archives of one name half-published a release that could never finish
    Path target = tmp.resolve("published");
    Path spec = Files.writeString(tmp.resolve("release.yaml"), """
        project: hello
        version: 1.0.0
        docs: {command: "make docs", outputs: [a/html, b/html]}
        upload: [{url: "%s"}]
        """.formatted(target.toUri()));
    CliRun cli = CliRun.of(env, "run", "--spec", spec.toString(), "--repository", repo.url());
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(cli.err()).contains(spec + ":3: docs.outputs[1]: \"b/html\" makes the archive"
        + " hello-1.0.0-docs-html.tar.gz, as docs.outputs[0] (a/html) does");
    assertThat(cli.out()).doesNotContain("started");
    assertThat(target).doesNotExist();
  }

  @Test
  void docsThatDoNotProduceTheirOutputFolderFailAtBuildDocs() throws Exception {
    Path spec = Files.writeString(tmp.resolve("release.yaml"), """
        project: hello
        version: 1.0.0
        docs: {command: "make docs", outputs: [docs/_build/pdf]}
        """);
    CliRun cli = CliRun.of(env, "run", "--spec", spec.toString(), "--repository", repo.url(),
        "--store", tmp.resolve("store").toString());
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    assertThat(cli.err()).contains("release blocked at buildDocs: docs output folder docs/_build/pdf was not produced"
        + " by `make docs`");
  }

  @Test
  void failingTestCommandStopsTheReleaseAndNothingIsUploaded() throws Exception {
    Path target = tmp.resolve("published");
    Path spec = Files.writeString(tmp.resolve("release.yaml"), """
        project: hello
        version: 1.0.0
        test: {command: "make test CC=false"}
        upload: [published]
        """);
    CliRun cli = CliRun.of(env, "run", "--spec", spec.toString(), "--repository", repo.url(),
        "--store", tmp.resolve("store").toString(), "--out", tmp.resolve("out").toString());
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    assertThat(cli.out()).contains("BLOCKED   testSource").contains("FAILED    testSource");
    assertThat(cli.err()).contains("release blocked at testSource: testSource: `make test CC=false` exited with"
        + " status 2").contains("no terminal to ask").contains("./release resume --spec " + spec);
    assertThat(target).doesNotExist();
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void unsafeNoSandboxRunsCommandsUnsandboxedAndReleaseJsonSaysSo() throws Exception {
    env.remove("TEMPORAL_ADDRESS");
    CliRun cli = run("--unsafe-no-sandbox", "--out", tmp.resolve("unsafe-out").toString());
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    JsonNode manifest = JSON.readTree(tmp.resolve("unsafe-out/release.json").toFile());
    assertThat(manifest.get("sandboxed").asBoolean()).isFalse();
    manifest.get("stages").forEach(stage -> assertThat(stage.path("sandbox").asText(null)).as(stage.toString())
        .isEqualTo(List.of("testSource", "buildDocs").contains(stage.get("stage").asText()) ? "none" : null));
  }

  @Test
  void embeddedDefaultRunsServerAndWorkersInProcess() {
    env.remove("TEMPORAL_ADDRESS");
    CliRun cli = run("--out", tmp.resolve("embedded-out").toString());
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    // no Temporal CLI on this environment's PATH: the Java test server, its limits said once
    assertThat(cli.out()).contains("using Temporal's Java test server on 127.0.0.1:")
        .containsOnlyOnce("keeps history in memory");
    assertThat(tmp.resolve("embedded-out/release.json")).exists();
  }

}
