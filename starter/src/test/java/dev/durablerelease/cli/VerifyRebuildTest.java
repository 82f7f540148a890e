package dev.durablerelease.cli;

import static dev.durablerelease.testing.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.testing.SampleRepository;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code release verify --rebuild} as anyone runs it on a published release, with no Temporal server: the release is
 * made once by the embedded {@code release run} under a policy that wants two builders (so it serves the second
 * builder's queue too), then rebuilt from its provenance, as published and as others changed it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyRebuildTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> REBUILT = List.of("hello-1.0.0.tar.gz", "hello-1.0.0.tar.xz", "hello-1.0.0.zip",
      "hello-1.0.0.tar.gz.spdx.json", "hello-1.0.0.tar.gz.cdx.json", "hello-1.0.0.tar.xz.spdx.json",
      "hello-1.0.0.tar.xz.cdx.json", "hello-1.0.0.zip.spdx.json", "hello-1.0.0.zip.cdx.json");

  private Path tmp;
  private SampleRepository repo;
  /** The release as published. */
  private Path published;
  /** No TEMPORAL_ADDRESS: run embeds its server; verify needs none. */
  private Map<String, String> env;

  @BeforeAll
  void release(@TempDir Path dir) throws Exception {
    tmp = dir;
    repo = SampleRepository.create(tmp.resolve("hello"));
    env = Map.of("HOME", tmp.toString());
    Path spec = Files.writeString(tmp.resolve("release.yaml"), """
        project: hello
        version: 1.0.0
        source: {formats: [tar.gz, tar.xz, zip]}
        sbom: {supplier: The hello authors, license: MIT}
        """);
    Path policy = Files.writeString(tmp.resolve("policy.yaml"), """
        projects:
          hello:
            repositories: ["**"]
            signing: {mode: dev}
            reproducibility: {builders: 2}
        """);
    published = tmp.resolve("published");
    CliRun release = CliRun.of(env, "run", "--spec", spec.toString(), "--repository", repo.url(), "--policy",
        policy.toString(), "--store", tmp.resolve("store").toString(), "--work-dir", tmp.resolve("work").toString(),
        "--out", published.toString());
    assertThat(release.exitCode()).as(release.toString()).isZero();
    JsonNode manifest = JSON.readTree(published.resolve("release.json").toFile());
    assertThat(manifest.path("reproducibility").path("agreed").asBoolean())
        .as("the embedded run served the second builder's queue").isTrue();
  }

  @AfterAll
  void closeRepository() {
    repo.close();
  }

  /** A copy of the published release to change. */
  private Path copy(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    try (Stream<Path> files = Files.list(published)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
    return dir;
  }

  private CliRun verify(String location, String... options) {
    String[] args = Stream.concat(Stream.of("verify", location, "--rebuild"), Stream.of(options))
        .toArray(String[]::new);
    return CliRun.of(env, args);
  }

  /** The table's line for a file. */
  private static String line(CliRun run, String file) {
    return run.out().lines().filter(l -> l.startsWith(file + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + file + " in\n" + run));
  }

  @Test
  void aPublishedReleaseRebuildsTheSameFileByFileAndItsSignaturesVerify() throws Exception {
    CliRun rebuilt = verify(published.toString());
    assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
    assertThat(rebuilt.out()).doesNotContain("warning:")
        .startsWith("rebuilding from " + repo.url() + ", tag v1.0.0 at " + repo.head() + "\n")
        .contains("rebuilt: 9 files, every one the same");
    for (String file : REBUILT) {
      assertThat(line(rebuilt, file)).matches(java.util.regex.Pattern.quote(file) + " +same");
    }

    CliRun both = verify(published.toString(), "--trusted-root", published.resolve("trusted_root.json").toString(),
        "--allow-dev", "--certificate-identity", DevSigstore.localIdentity(), "--certificate-oidc-issuer",
        DevSigstore.ISSUER);
    assertThat(both.exitCode()).as(both.toString()).isZero();
    assertThat(both.out()).contains("verified: ").contains("checks passed").contains("every one the same");
  }

  @Test
  void archivesRecompressedByOtherToolsDifferInTheirCompressionAndNothingElse() throws Exception {
    Path dir = copy("recompressed");
    // gzip at its default level (our tar.gz of a tree this small is byte for byte what gzip -n -9 makes), xz at -9
    run(dir, "gzip", "-d", "hello-1.0.0.tar.gz");
    run(dir, "gzip", "-n", "hello-1.0.0.tar");
    run(dir, "xz", "-d", "hello-1.0.0.tar.xz");
    run(dir, "xz", "-9", "hello-1.0.0.tar");

    CliRun rebuilt = verify(dir.toString());
    assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(line(rebuilt, "hello-1.0.0.tar.gz"))
        .contains("differs: the same tar inside; the gzip compression differs from byte ");
    assertThat(line(rebuilt, "hello-1.0.0.tar.xz"))
        .contains("differs: the same tar inside; the xz compression differs from byte ");
    // the SBOMs name their archive by digest: the published ones describe the published bytes, not these
    assertThat(line(rebuilt, "hello-1.0.0.tar.gz.spdx.json")).endsWith("same");
    assertThat(line(rebuilt, "hello-1.0.0.zip")).endsWith("same");
    assertThat(rebuilt.out()).contains("NOT rebuilt the same: 2 of 9 files differ");
  }

  @Test
  void anArchiveWithOneFileChangedNamesThatFile() throws Exception {
    Path dir = copy("changed");
    changeFile(dir.resolve("hello-1.0.0.tar.gz"), "hello-1.0.0/src/hello.c",
        "int main(void) { return 42; }\n".getBytes(StandardCharsets.UTF_8));

    CliRun rebuilt = verify(dir.toString());
    assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(line(rebuilt, "hello-1.0.0.tar.gz")).matches("hello-1\\.0\\.0\\.tar\\.gz +differs: hello-1\\.0\\.0/src/"
        + "hello\\.c: content 30 bytes, sha256 [0-9a-f]{12} \\(published\\) vs [0-9]+ bytes, sha256 [0-9a-f]{12}"
        + " \\(rebuilt\\)");
    assertThat(rebuilt.out()).contains("NOT rebuilt the same: 1 of 9 files differ");
  }

  @Test
  void aReleasePublishedAtAUrlRebuildsFromThereAndItsFileNamesCannotLeaveTheFolder() throws Exception {
    Path hostile = copy("hostile");
    ObjectNode manifest = (ObjectNode) JSON.readTree(hostile.resolve("release.json").toFile());
    ((ObjectNode) manifest.withArray("artifacts").get(0)).put("name", "../../outside");
    JSON.writeValue(hostile.resolve("release.json").toFile(), manifest);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve(server, "/releases/hello/1.0.0/", published);
    serve(server, "/hostile/", hostile);
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      CliRun rebuilt = verify(base + "/releases/hello/1.0.0/");
      assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
      assertThat(rebuilt.out()).contains("rebuilding from " + repo.url())
          .contains("rebuilt: 9 files, every one the same");

      CliRun refused = verify(base + "/hostile");
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(refused.err()).contains("names \"../../outside\", which is not a file name of that folder");
      CliRun missing = verify(base + "/nothing-here/");
      assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(missing.err()).contains("HTTP 404").contains("release.json");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anotherLibraryVersionIsWarnedFirstAndAnAlteredSpecIsRefused() throws Exception {
    Path dir = copy("older-library");
    Path provenance = dir.resolve("provenance.intoto.json");
    ObjectNode statement = (ObjectNode) JSON.readTree(provenance.toFile());
    ((ObjectNode) statement.at("/predicate/runDetails/builder/version")).put("xz-java", "1.9");
    JSON.writeValue(provenance.toFile(), statement);
    CliRun warned = verify(dir.toString());
    assertThat(warned.exitCode()).as(warned.toString()).isZero();
    assertThat(warned.out()).startsWith("warning: the release was made with xz-java 1.9, this rebuild uses ");
    assertThat(warned.out().indexOf("warning:")).isLessThan(warned.out().indexOf("FILE"));

    ((ObjectNode) statement.at("/predicate/buildDefinition/internalParameters/spec/source"))
        .putArray("formats").add("tar.gz");
    JSON.writeValue(provenance.toFile(), statement);
    CliRun altered = verify(dir.toString());
    assertThat(altered.exitCode()).as(altered.toString()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(altered.out()).contains("NOT rebuilt: the spec in ").contains("the provenance names sha256:");
  }

  /** Rewrites one file of a tar.gz, keeping every header as it was (mode, time, owner), as a hand edit would. */
  private static void changeFile(Path archive, String path, byte[] content) throws Exception {
    Path changed = archive.resolveSibling("changed.tar.gz");
    try (TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(
            Files.newInputStream(archive)));
        TarArchiveOutputStream out = new TarArchiveOutputStream(new GzipCompressorOutputStream(
            Files.newOutputStream(changed)), "UTF-8")) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        byte[] bytes = in.readAllBytes();
        if (entry.getName().equals(path)) {
          bytes = content;
          entry.setSize(bytes.length);
        }
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
      }
    }
    Files.move(changed, archive, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Serves the files of a folder under a path, as a download server does. */
  private static void serve(HttpServer server, String prefix, Path folder) {
    server.createContext(prefix, exchange -> {
      Path file = folder.resolve(exchange.getRequestURI().getPath().substring(prefix.length())).normalize();
      if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      exchange.sendResponseHeaders(200, Files.size(file));
      try (OutputStream body = exchange.getResponseBody()) {
        Files.copy(file, body);
      }
    });
  }
}
