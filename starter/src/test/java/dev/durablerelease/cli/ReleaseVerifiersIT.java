package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.testing.SampleRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample release judged by the tools our users run, with the very commands of docs/signing.md "Verifying a
 * release": {@code release verify}, sigstore-python and cosign (and sigstore-js) accept every bundle, and refuse, case
 * by case alike, a changed file, another identity or issuer and an unrelated trust root; the public-instance commands
 * accept a real public release and refuse a dev one; SPDX's, CycloneDX's and in-toto's own libraries accept the
 * documents and refuse broken ones. Every command runs in a network namespace of its own, so no tool fetches anything.
 */
class ReleaseVerifiersIT {
  private static final Path REPOSITORY = SampleRepository.projectFolder().getParent().getParent().getParent();
  private static final Path DOCS = REPOSITORY.resolve("docs/signing.md");
  private static final Path VENV = REPOSITORY.resolve("starter/src/test/python/.venv");
  private static final Path SIGSTORE_JS = REPOSITORY.resolve("starter/src/test/node");
  private static final String MARKER = "<!-- ReleaseVerifiersIT runs this block: %s -->";
  /** Where the docs' commands expect the release, from the checkout. */
  private static final String RELEASE = "target/sample/release";
  /** The file the docs' per-file commands name. */
  private static final String ARCHIVE = "hello-1.0.0.tar.gz";
  private static final String SBOM = "hello-1.0.0.tar.gz.spdx.json";
  private static final String DOCS_SBOM = "hello-1.0.0-docs-html.tar.gz.spdx.json";
  private static final String IMPOSTOR = "release-signer@impostor.dev.durable-release.invalid";
  private static final String OTHER_ISSUER = "https://accounts.google.com";
  /** sigstore-java 2.0.0's release on Maven Central, copied by the starter's pom before the integration tests. */
  private static final Path PUBLIC_RELEASE = Path.of("target", "public-instance-release").toAbsolutePath();
  private static final String PUBLIC_JAR = "sigstore-java-2.0.0.jar";
  private static final String PUBLIC_BUNDLE = PUBLIC_JAR + ".sigstore.json";
  private static final String PUBLIC_IDENTITY = "https://github.com/sigstore/sigstore-java/.github/workflows/"
      + "release-sigstore-java-from-tag.yaml@refs/tags/v2.0.0";
  private static final String PUBLIC_ISSUER = "https://token.actions.githubusercontent.com";

  @TempDir
  Path tmp;

  /** What a verifier said to a command: its exit code and everything it printed. */
  record Verdict(String command, int exit, String output) {
    @Override
    public String toString() {
      return "$ " + command + "\n" + output;
    }
  }

  @BeforeAll
  static void verifiersAreInstalled() {
    assertThat(VENV.resolve("bin/pyspdxtools"))
        .as("sigstore-python, spdx-tools, cyclonedx-python-lib and in-toto-attestation are installed by .ci/run"
            + " into a virtual environment that %s points at", VENV).isExecutable();
    assertThat(SIGSTORE_JS.resolve("node_modules/@sigstore/verify"))
        .as("sigstore-js is installed by .ci/run (npm ci --prefix starter/src/test/node)").isDirectory();
    assertThat(Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, "cosign"))
        .anyMatch(Files::isExecutable))
        .as("cosign is built by .ci/run into Go's bin folder, which must be on PATH").isTrue();
    assertThat(PUBLIC_RELEASE.resolve(PUBLIC_BUNDLE))
        .as("the starter's pom copies sigstore-java's release there in pre-integration-test").isRegularFile();
  }

  @Test
  void everyCommandOfTheVerifyingSectionIsOneThisTestRuns() throws IOException {
    List<String> lines = Files.readAllLines(DOCS);
    int start = lines.indexOf("## Verifying a release");
    assertThat(start).as("docs/signing.md has a section \"## Verifying a release\"").isNotNegative();
    Set<String> marked = new TreeSet<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      if (lines.get(i).startsWith("```sh")) {
        String marker = lines.get(i - 1);
        assertThat(marker).as("the command block at docs/signing.md:%d is marked with the name this test runs it by",
            i + 1).startsWith(MARKER.substring(0, MARKER.indexOf("%s")));
        marked.add(marker.substring(MARKER.indexOf("%s"), marker.length() - " -->".length()));
      }
    }
    assertThat(marked).containsExactlyInAnyOrder("dev-folder", "dev-file", "public-file", "documents");
  }

  @Test
  void everyVerifierAcceptsEveryBundleOfTheSampleRelease() throws Exception {
    Path checkout = checkout();
    Path release = checkout.resolve(RELEASE);
    String identity = DevSigstore.localIdentity();
    List<String> signed = signedFiles(release);
    assertThat(signed).hasSize(7).contains(ARCHIVE, SBOM, "provenance.intoto.json");

    Verdict ours = releaseVerify(checkout, identity);
    assertThat(ours.exit()).as("%s", ours).isZero();
    assertThat(ours.output()).contains("verified: ");
    for (String file : signed) {
      Verdict python = devFile("python -m sigstore", release, file, identity);
      assertThat(python.exit()).as("%s", python).isZero();
      assertThat(python.output()).contains("OK: " + file).doesNotContain("WARNING");
      Verdict cosign = devFile("cosign", release, file, identity);
      assertThat(cosign.exit()).as("%s", cosign).isZero();
      assertThat(cosign.output()).contains("Verified OK");
    }
    assertThat(sigstoreJs(release, identity, DevSigstore.ISSUER, 0)).contains("sigstore-js: 7 of 7 bundles verified");
  }

  @Test
  void everyVerifierRefusesAChangedArchiveAndOnlyIt() throws Exception {
    Path checkout = checkout();
    Path release = checkout.resolve(RELEASE);
    String identity = DevSigstore.localIdentity();
    Files.writeString(release.resolve(ARCHIVE), "tampered", StandardOpenOption.APPEND);

    Verdict ours = releaseVerify(checkout, identity);
    assertThat(ours.exit()).as("%s", ours).isEqualTo(1);
    assertThat(ourSignatureLine(ours, ARCHIVE)).contains("FAILED: ").contains("digest");
    assertThat(ourSignatureLine(ours, SBOM)).contains("ok: ");
    refused(devFile("python -m sigstore", release, ARCHIVE, identity), "Bundle message digest mismatch");
    refused(devFile("cosign", release, ARCHIVE, identity), "failed to verify signature");
    for (String verifier : List.of("python -m sigstore", "cosign")) {
      Verdict untouched = devFile(verifier, release, SBOM, identity);
      assertThat(untouched.exit()).as("%s", untouched).isZero();
    }
    assertThat(sigstoreJs(release, identity, DevSigstore.ISSUER, 1))
        .contains("REJECTED " + ARCHIVE + ": SIGNATURE_ERROR").contains("sigstore-js: 6 of 7 bundles verified");
  }

  @Test
  void everyVerifierRefusesAnotherIdentityAndAnotherIssuer() throws Exception {
    Path checkout = checkout();
    Path release = checkout.resolve(RELEASE);

    Verdict ours = releaseVerify(checkout, IMPOSTOR);
    assertThat(ours.exit()).as("%s", ours).isEqualTo(1);
    assertThat(ourSignatureLine(ours, ARCHIVE)).contains("FAILED: ").contains(IMPOSTOR);
    refused(devFile("python -m sigstore", release, ARCHIVE, IMPOSTOR), "Certificate's SANs do not match");
    refused(devFile("cosign", release, ARCHIVE, IMPOSTOR), "no matching CertificateIdentity");
    assertThat(sigstoreJs(release, IMPOSTOR, DevSigstore.ISSUER, 1))
        .contains("REJECTED " + ARCHIVE + ": UNTRUSTED_SIGNER_ERROR");

    String identity = DevSigstore.localIdentity();
    Verdict oursOtherIssuer = run(checkout, identity, otherIssuer(documented("dev-folder").get(0)));
    assertThat(oursOtherIssuer.exit()).as("%s", oursOtherIssuer).isEqualTo(1);
    assertThat(ourSignatureLine(oursOtherIssuer, ARCHIVE)).contains("FAILED: ").contains(OTHER_ISSUER);
    refused(run(release, identity, otherIssuer(devFileCommand("python -m sigstore", ARCHIVE))),
        "Certificate's OIDCIssuer does not match");
    refused(run(release, identity, otherIssuer(devFileCommand("cosign", ARCHIVE))), "no matching CertificateIdentity");
    assertThat(sigstoreJs(release, identity, OTHER_ISSUER, 1))
        .contains("REJECTED " + ARCHIVE + ": UNTRUSTED_SIGNER_ERROR");
  }

  @Test
  void everyVerifierRefusesAnUnrelatedTrustRoot() throws Exception {
    Path checkout = checkout();
    Path release = checkout.resolve(RELEASE);
    String identity = DevSigstore.localIdentity();
    // another dev instance: the same shape, names and identity, other keys
    try (DevSigstore other = DevSigstore.start()) {
      Path trust = other.writeTrustFiles(tmp.resolve("other-trust"));
      for (String file : List.of(DevSigstore.TRUSTED_ROOT_FILE, DevSigstore.TRUST_CONFIG_FILE)) {
        Files.copy(trust.resolve(file), release.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }

    Verdict ours = releaseVerify(checkout, identity);
    assertThat(ours.exit()).as("%s", ours).isEqualTo(1);
    assertThat(ourSignatureLine(ours, ARCHIVE)).contains("FAILED: ").contains("not verifiable against CAs");
    refused(devFile("python -m sigstore", release, ARCHIVE, identity), "FAIL: " + ARCHIVE);
    refused(devFile("cosign", release, ARCHIVE, identity), "error during command execution");
    assertThat(sigstoreJs(release, identity, DevSigstore.ISSUER, 1)).contains("REJECTED " + ARCHIVE + ": ")
        .contains("sigstore-js: 0 of 7 bundles verified");
  }

  @Test
  void publicInstanceCommandsAcceptSigstoreJavasReleaseAndRefuseAChangedJarOrAnotherIdentity() throws Exception {
    Path dir = tmp.resolve("public");
    Files.createDirectories(dir);
    for (String file : List.of(PUBLIC_JAR, PUBLIC_BUNDLE)) {
      Files.copy(PUBLIC_RELEASE.resolve(file), dir.resolve(file));
    }
    List<String> commands = documented("public-file");
    assertThat(commands).hasSize(2);

    for (String command : commands) {
      Verdict accepted = run(dir, "", offline(command));
      assertThat(accepted.exit()).as("%s", accepted).isZero();
      assertThat(accepted.output()).containsAnyOf("OK: " + PUBLIC_JAR, "Verified OK");

      String anotherTag = PUBLIC_IDENTITY.replace("@refs/tags/v2.0.0", "@refs/tags/v2.0.1");
      refused(run(dir, "", offline(command.replace(PUBLIC_IDENTITY, anotherTag))),
          command.startsWith("cosign") ? "no matching CertificateIdentity" : "Certificate's SANs do not match");
    }
    Files.writeString(dir.resolve(PUBLIC_JAR), "tampered", StandardOpenOption.APPEND);
    for (String command : commands) {
      refused(run(dir, "", offline(command)),
          command.startsWith("cosign") ? "failed to verify signature" : "Bundle message digest mismatch");
    }
  }

  @Test
  void publicInstanceCommandsRefuseADevRelease() throws Exception {
    Path release = checkout().resolve(RELEASE);
    for (String command : documented("public-file")) {
      // the public commands with the sample archive's names and signer: only the trust root is wrong
      String forArchive = offline(command).replace(PUBLIC_BUNDLE, ARCHIVE + ".sigstore").replace(PUBLIC_JAR, ARCHIVE)
          .replace(PUBLIC_IDENTITY, DevSigstore.localIdentity()).replace(PUBLIC_ISSUER, DevSigstore.ISSUER);
      refused(run(release, "", forArchive),
          command.startsWith("cosign") ? "error during command execution" : "FAIL: " + ARCHIVE);
    }
  }

  @Test
  void spdxCycloneDxAndInTotoToolsAcceptTheDocuments() throws Exception {
    Path checkout = checkout();
    for (Verdict verdict : documents(checkout)) {
      assertThat(verdict.exit()).as("%s", verdict).isZero();
    }
  }

  @Test
  void spdxCycloneDxAndInTotoToolsRefuseBrokenDocuments() throws Exception {
    Path checkout = checkout();
    Path release = checkout.resolve(RELEASE);
    // faults a writer could make: a relationship to an element the document lacks, a hash algorithm spelled as
    // Java names it, a subject whose file changed after the provenance was written
    edit(release.resolve(SBOM), spdx -> ((ArrayNode) spdx.get("relationships")).addObject()
        .put("spdxElementId", "SPDXRef-DOCUMENT").put("relationshipType", "DESCRIBES")
        .put("relatedSpdxElement", "SPDXRef-Package-missing"));
    edit(release.resolve("hello-1.0.0.tar.gz.cdx.json"),
        cdx -> ((ObjectNode) cdx.at("/metadata/component/hashes/0")).put("alg", "SHA256"));
    edit(release.resolve("provenance.intoto.json"),
        statement -> ((ObjectNode) statement.at("/subject/0/digest")).put("sha256", "0".repeat(64)));

    List<Verdict> verdicts = documents(checkout);
    assertThat(verdicts).hasSize(4);
    refused(verdicts.get(0), "did not find the referenced spdx_id \"SPDXRef-Package-missing\"");
    assertThat(verdicts.get(1).exit()).as("%s", verdicts.get(1)).isZero();
    refused(verdicts.get(2), "INVALID " + RELEASE + "/hello-1.0.0.tar.gz.cdx.json: 'SHA256' is not one of");
    refused(verdicts.get(3), "MISMATCH " + ARCHIVE + ": provenance says " + "0".repeat(64));

    // and a predicate SLSA v1 does not allow: the builder's id is required
    edit(release.resolve("provenance.intoto.json"),
        statement -> ((ObjectNode) statement.at("/predicate/runDetails/builder")).remove("id"));
    refused(documents(checkout).get(3), "runDetails.builder.id required");
  }

  /** The documents block, its SPDX command once per SPDX document: pyspdxtools ×2, CycloneDX, provenance. */
  private List<Verdict> documents(Path checkout) throws Exception {
    List<String> commands = documented("documents");
    assertThat(commands).hasSize(3);
    assertThat(commands.get(0)).startsWith("pyspdxtools ").contains(SBOM);
    List<Verdict> verdicts = new ArrayList<>();
    verdicts.add(run(checkout, "", commands.get(0)));
    verdicts.add(run(checkout, "", commands.get(0).replace(SBOM, DOCS_SBOM)));
    verdicts.add(run(checkout, "", commands.get(1)));
    verdicts.add(run(checkout, "", commands.get(2)));
    return verdicts;
  }

  /**
   * A checkout as the docs' commands expect it: {@code ./release}, {@code starter/} and a copy of the sample release
   * at {@code target/sample/release}.
   */
  private Path checkout() throws Exception {
    Path checkout = tmp.resolve("checkout");
    Files.createDirectories(checkout);
    Path launcher = checkout.resolve("release");
    Files.writeString(launcher, "#!/bin/sh\nexec '" + REPOSITORY.resolve("release") + "' \"$@\"\n");
    assertThat(launcher.toFile().setExecutable(true)).isTrue();
    Files.createSymbolicLink(checkout.resolve("starter"), REPOSITORY.resolve("starter"));
    SampleRelease.get().copyTo(checkout.resolve(RELEASE));
    return checkout;
  }

  /** Every file of the folder with a {@code .sigstore} bundle beside it. */
  private static List<String> signedFiles(Path release) throws IOException {
    try (Stream<Path> files = Files.list(release)) {
      return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".sigstore"))
          .map(name -> name.substring(0, name.length() - ".sigstore".length())).sorted().toList();
    }
  }

  private Verdict releaseVerify(Path checkout, String identity) throws Exception {
    List<String> commands = documented("dev-folder");
    assertThat(commands).hasSize(1);
    return run(checkout, identity, commands.get(0));
  }

  /** The documented per-file command of one tool, in the release folder, for {@code file}. */
  private Verdict devFile(String tool, Path release, String file, String identity) throws Exception {
    return run(release, identity, devFileCommand(tool, file));
  }

  private static String devFileCommand(String tool, String file) throws IOException {
    List<String> commands = documented("dev-file").stream().filter(c -> c.startsWith(tool + " ")).toList();
    assertThat(commands).as("docs/signing.md gives one %s command per file", tool).hasSize(1);
    // the bundle is named after the file, so one replacement names both
    return commands.get(0).replace(ARCHIVE, file);
  }

  private static String otherIssuer(String command) {
    assertThat(command).contains(DevSigstore.ISSUER);
    return command.replace(DevSigstore.ISSUER, OTHER_ISSUER);
  }

  /**
   * A public-instance command as the suite runs it with no network: sigstore-python with its bundled copy of Sigstore's
   * trusted root ({@code --offline}), cosign given that same copy.
   */
  private static String offline(String command) throws IOException {
    if (command.startsWith("python -m sigstore verify identity ")) {
      return command.replace("verify identity ", "verify identity --offline ");
    }
    assertThat(command).startsWith("cosign verify-blob ");
    Path root;
    try (Stream<Path> found = Files.find(VENV.resolve("lib"), 5, (path, attributes) -> path.endsWith(
        "site-packages/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev"))) {
      root = found.findFirst().orElseThrow().resolve("trusted_root.json");
    }
    return command + " --trusted-root " + root;
  }

  private static void refused(Verdict verdict, String reason) {
    assertThat(verdict.exit()).as("%s", verdict).isNotZero();
    assertThat(verdict.output()).contains(reason);
  }

  /** {@code release verify}'s report line on a file's signature. */
  private static String ourSignatureLine(Verdict verdict, String file) {
    return verdict.output().lines().filter(line -> line.startsWith(file + " ") && line.contains(" signature "))
        .findFirst().orElseThrow(() -> new AssertionError("no signature line for " + file + " in\n"
            + verdict.output()));
  }

  /**
   * The commands of the block docs/signing.md marks {@code <!-- ReleaseVerifiersIT runs this block: NAME -->}, one per
   * command, continuation lines joined.
   */
  private static List<String> documented(String name) throws IOException {
    List<String> lines = Files.readAllLines(DOCS);
    int marker = lines.indexOf(MARKER.formatted(name));
    assertThat(marker).as("docs/signing.md marks a block %s", name).isNotNegative();
    assertThat(lines.get(marker + 1)).isEqualTo("```sh");
    List<String> commands = new ArrayList<>();
    StringBuilder command = new StringBuilder();
    for (String line : lines.subList(marker + 2, lines.size())) {
      if (line.equals("```")) {
        break;
      }
      boolean continued = line.endsWith("\\");
      command.append(continued ? line.substring(0, line.length() - 1).strip() + " " : line.strip());
      if (!continued) {
        commands.add(command.toString());
        command.setLength(0);
      }
    }
    return commands;
  }

  /**
   * Runs a command with bash, as a user at a shell would: the verifiers' virtual environment first on PATH,
   * {@code IDENTITY} set, and in a network namespace of its own, so that a tool that tried to fetch anything fails.
   */
  private Verdict run(Path dir, String identity, String command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("unshare", "--net", "--map-root-user", "bash", "-c", command)
        .directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("PATH", VENV.resolve("bin") + ":" + env.get("PATH"));
    env.put("IDENTITY", identity);
    // sigstore-python keeps its TUF cache there; --offline copies its bundled trusted root into it
    env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s ends", command).isTrue();
    return new Verdict(command, process.exitValue(), output);
  }

  /** sigstore-js, a verifier written apart from sigstore-java, over the whole folder (starter/src/test/node). */
  private static String sigstoreJs(Path release, String identity, String issuer, int expectedExit) throws Exception {
    Process node = new ProcessBuilder("node", SIGSTORE_JS.resolve("verify-bundles.mjs").toString(), release.toString(),
        release.resolve(DevSigstore.TRUSTED_ROOT_FILE).toString(), identity, issuer).redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes());
    assertThat(node.waitFor()).as(output).isEqualTo(expectedExit);
    return output;
  }

  private static void edit(Path json, Consumer<ObjectNode> change) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode document = (ObjectNode) mapper.readTree(json.toFile());
    change.accept(document);
    mapper.writeValue(json.toFile(), document);
  }
}
