package dev.durablerelease.sbom;

import static dev.durablerelease.testing.StageHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.SbomInput;
import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.activity.Sboms;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.StageHarness;
import dev.durablerelease.contract.ArtifactRef;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.storage.simple.InMemSpdxStore;

/**
 * The generateSbom stage on a real repository with vendored code: both documents pass their formats' own
 * validators, list every archive file once with the digests recomputed here, keep the vendored components' facts,
 * come out byte-identical from another environment, and refuse declarations that do not match the archive.
 */
class SbomStageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SPEC = """
      project: hello
      version: 1.0.0
      source:
        exclude: [".github/", ".gitignore"]
      sbom:
        supplier: The hello authors
        license: MIT
        downloadUrl: https://downloads.example.org/hello/{version}
        purl: pkg:github/example/hello@{version}
        cpe: cpe:2.3:a:example:hello:{version}:*:*:*:*:*:*:*
        merge: Misc/sbom.spdx.json
        packages:
          - name: zlib
            version: 1.3.1
            license: Zlib
            purl: pkg:github/madler/zlib@v1.3.1
            cpe: cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*
            paths: [vendor/zlib/]
      """;
  /** The sample's commit is followed by the one that vendors the libraries, a minute later. */
  private static final String VENDORED_COMMIT_TIME = SampleRepository.COMMIT_TIME.plusSeconds(60).toString();
  private static final String EXPAT_H = "/* expat.h */\n#define XML_MAJOR_VERSION 2\n";
  private static final String XMLPARSE_C = "/* xmlparse.c */\nint XML_Parse(void) { return 0; }\n";

  @TempDir
  Path tmp;

  private SampleRepository repo;
  private StageHarness stages;

  @BeforeAll
  static void offlineLicenceList() {
    // SPDX's library would fetch the licence list from spdx.org; the copy in its jar is enough
    System.setProperty("SPDXParser.OnlyUseLocalLicenses", "true");
    System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
    SpdxModelFactory.init();
  }

  @BeforeEach
  void setUp() throws IOException {
    repo = vendoredRepository(tmp.resolve("hello"));
    stages = new StageHarness(tmp.resolve("worker"));
  }

  @AfterEach
  void tearDown() {
    stages.close();
    repo.close();
  }

  /** The sample with two vendored libraries (one declared in the spec, one in an SPDX document) and odd names. */
  private static SampleRepository vendoredRepository(Path dir) throws IOException {
    SampleRepository repo = SampleRepository.create(dir);
    repo.writeFile("release.yaml", SPEC)
        .writeFile("vendor/zlib/zlib.h", "/* zlib.h */\n")
        .writeFile("vendor/zlib/inflate.c", "/* inflate.c */\nint inflate(void) { return 0; }\n")
        .writeFile("third_party/expat/expat.h", EXPAT_H)
        .writeFile("third_party/expat/xmlparse.c", XMLPARSE_C)
        // sanitised to the same SPDX id: the second one gets a hash suffix
        .writeFile("src/a b.c", "int a_space;\n")
        .writeFile("src/a_b.c", "int a_underscore;\n")
        .writeFile("Misc/sbom.spdx.json", mergeDocument(sha256(EXPAT_H)));
    // more than one hashing chunk, so that a file's chunks must be hashed in order
    byte[] big = new byte[(5 << 20) / 2 + 123];
    new Random(42).nextBytes(big);
    Files.write(Files.createDirectories(dir.resolve("data")).resolve("big.bin"), big);
    repo.commitAll("vendor zlib and expat");
    repo.tag(SampleRepository.TAG);
    return repo;
  }

  private static String mergeDocument(String expatHeaderSha256) {
    return """
        {
          "spdxVersion": "SPDX-2.3",
          "dataLicense": "CC0-1.0",
          "SPDXID": "SPDXRef-DOCUMENT",
          "name": "hello vendored",
          "documentNamespace": "https://example.org/hello/vendored",
          "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Person: someone"]},
          "packages": [
            {"SPDXID": "SPDXRef-PACKAGE-expat", "name": "expat", "versionInfo": "2.6.3",
             "downloadLocation": "https://github.com/libexpat/libexpat/releases/download/R_2_6_3/expat-2.6.3.tar.gz",
             "licenseConcluded": "MIT", "supplier": "Organization: Expat development team",
             "checksums": [{"algorithm": "SHA256",
               "checksumValue": "274db254a6979bde5aad404763a704956940e465843f2a9bd9ed7af22e2c0efc"}],
             "externalRefs": [
               {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                "referenceLocator": "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*"},
               {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                "referenceLocator": "pkg:github/libexpat/libexpat@R_2_6_3"}]},
            {"SPDXID": "SPDXRef-PACKAGE-hacl-star", "name": "hacl-star", "versionInfo": "0.1",
             "licenseConcluded": "Apache-2.0", "downloadLocation": "NOASSERTION",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                "referenceLocator": "pkg:github/hacl-star/hacl-star@0.1"}]}
          ],
          "files": [
            {"SPDXID": "SPDXRef-FILE-expat-h", "fileName": "third_party/expat/expat.h",
             "checksums": [{"algorithm": "SHA1", "checksumValue": "%s"}, {"algorithm": "SHA256", "checksumValue": "%s"}]},
            {"SPDXID": "SPDXRef-FILE-xmlparse-c", "fileName": "third_party/expat/xmlparse.c",
             "checksums": [{"algorithm": "SHA256", "checksumValue": "%s"}]}
          ],
          "relationships": [
            {"spdxElementId": "SPDXRef-PACKAGE-expat", "relationshipType": "CONTAINS",
             "relatedSpdxElement": "SPDXRef-FILE-expat-h"},
            {"spdxElementId": "SPDXRef-PACKAGE-expat", "relationshipType": "CONTAINS",
             "relatedSpdxElement": "SPDXRef-FILE-xmlparse-c"},
            {"spdxElementId": "SPDXRef-PACKAGE-hacl-star", "relationshipType": "DEPENDENCY_OF",
             "relatedSpdxElement": "SPDXRef-PACKAGE-expat"},
            {"spdxElementId": "SPDXRef-PACKAGE-expat", "relationshipType": "DEPENDS_ON",
             "relatedSpdxElement": "DocumentRef-libc:SPDXRef-PACKAGE-libc"}
          ]
        }
        """.formatted(sha1Hex(EXPAT_H), expatHeaderSha256, sha256(XMLPARSE_C));
  }

  private Map<String, byte[]> release(StageHarness harness) throws IOException {
    Checkout checkout = harness.source().checkout(
        new CheckoutInput(repo.url(), SampleRepository.VERSION, SampleRepository.TAG, null, null, false));
    Archives archives = harness.source().buildSource(checkout);
    Sboms sboms = harness.source().generateSbom(new SbomInput(checkout, archives.archives()));
    Map<String, byte[]> files = new TreeMap<>();
    for (ArtifactRef ref : archives.archives()) {
      files.put(ref.name(), read(harness, ref));
    }
    for (ArtifactRef ref : sboms.sboms()) {
      files.put(ref.name(), read(harness, ref));
    }
    return files;
  }

  @Test
  void bothSbomsPassTheirOwnValidatorsAndListEveryFileWithItsDigests() throws Exception {
    Map<String, byte[]> files = release(stages);
    assertThat(files).containsOnlyKeys("hello-1.0.0.tar.gz", "hello-1.0.0.tar.gz.spdx.json",
        "hello-1.0.0.tar.gz.cdx.json");
    byte[] spdxBytes = files.get("hello-1.0.0.tar.gz.spdx.json");
    byte[] cdxBytes = files.get("hello-1.0.0.tar.gz.cdx.json");

    // the formats' own tools
    SpdxDocument parsed = (SpdxDocument) new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON)
        .deSerialize(new ByteArrayInputStream(spdxBytes), false);
    assertThat(parsed.verify()).isEmpty();
    List<ParseException> cdxErrors = new JsonParser().validate(cdxBytes, Version.VERSION_16);
    assertThat(cdxErrors).isEmpty();
    assertThat(new JsonParser().parse(cdxBytes).getComponents()).isNotEmpty();

    // every archive file once, with the digests recomputed from the archive here
    Map<String, String[]> archive = digestsOf(files.get("hello-1.0.0.tar.gz"));
    JsonNode spdx = JSON.readTree(spdxBytes);
    Map<String, String[]> listed = new HashMap<>();
    Map<String, String> pathById = new HashMap<>();
    for (JsonNode file : spdx.get("files")) {
      String path = file.get("fileName").asText().substring(2);
      assertThat(listed.put(path, new String[] {checksum(file, "SHA1"), checksum(file, "SHA256")}))
          .as("listed once: " + path).isNull();
      pathById.put(file.get("SPDXID").asText(), path);
    }
    assertThat(listed.keySet()).isEqualTo(archive.keySet());
    archive.forEach((path, digests) -> assertThat(listed.get(path)).as(path).containsExactly(digests));
    assertThat(pathById).containsEntry("SPDXRef-FILE-hello-1.0.0-src-a-b.c", "hello-1.0.0/src/a b.c")
        .containsEntry("SPDXRef-FILE-hello-1.0.0-src-a-b.c-"
            + sha256("hello-1.0.0/src/a_b.c").substring(0, 8), "hello-1.0.0/src/a_b.c");

    // each package's verification code, recomputed from what it CONTAINS
    Map<String, List<String>> contained = new HashMap<>();
    for (JsonNode r : spdx.get("relationships")) {
      if (r.get("relationshipType").asText().equals("CONTAINS")) {
        contained.computeIfAbsent(r.get("spdxElementId").asText(), k -> new ArrayList<>())
            .add(archive.get(pathById.get(r.get("relatedSpdxElement").asText()))[0]);
      }
    }
    assertThat(contained.values().stream().mapToInt(List::size).sum()).isEqualTo(archive.size());
    Map<String, JsonNode> packages = new HashMap<>();
    for (JsonNode p : spdx.get("packages")) {
      packages.put(p.get("name").asText(), p);
      String id = p.get("SPDXID").asText();
      if (contained.containsKey(id)) {
        List<String> sha1s = new ArrayList<>(contained.get(id));
        sha1s.sort(null);
        assertThat(p.at("/packageVerificationCode/packageVerificationCodeValue").asText()).as(id)
            .isEqualTo(sha1Hex(String.join("", sha1s)));
      } else {
        assertThat(p.get("filesAnalyzed").asBoolean()).as(id).isFalse();
      }
    }

    // the project, and the vendored components with their PURLs and licences
    JsonNode hello = packages.get("hello");
    assertThat(hello.get("checksums").get(0).get("checksumValue").asText())
        .isEqualTo(sha256(files.get("hello-1.0.0.tar.gz")));
    assertThat(hello.get("downloadLocation").asText())
        .isEqualTo("https://downloads.example.org/hello/1.0.0/hello-1.0.0.tar.gz");
    assertThat(spdx.get("documentNamespace").asText())
        .isEqualTo("https://downloads.example.org/hello/1.0.0/hello-1.0.0.tar.gz.spdx.json");
    assertThat(spdx.at("/creationInfo/created").asText()).isEqualTo(VENDORED_COMMIT_TIME);
    assertThat(spdx.at("/creationInfo/creators").toString()).contains("Organization: The hello authors")
        .contains("Tool: durable-release-");
    assertThat(hello.get("licenseDeclared").asText()).isEqualTo("MIT");
    assertThat(refs(hello)).containsEntry("purl", "pkg:github/example/hello@1.0.0")
        .containsEntry("cpe23Type", "cpe:2.3:a:example:hello:1.0.0:*:*:*:*:*:*:*");
    assertThat(packages).containsOnlyKeys("hello", "zlib", "expat", "hacl-star");
    assertThat(refs(packages.get("expat"))).containsEntry("purl", "pkg:github/libexpat/libexpat@R_2_6_3")
        .containsEntry("cpe23Type", "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*");
    assertThat(packages.get("expat").get("licenseDeclared").asText()).isEqualTo("MIT");
    assertThat(packages.get("expat").get("supplier").asText()).isEqualTo("Organization: Expat development team");
    assertThat(refs(packages.get("hacl-star"))).containsEntry("purl", "pkg:github/hacl-star/hacl-star@0.1");
    assertThat(packages.get("hacl-star").get("licenseDeclared").asText()).isEqualTo("Apache-2.0");
    assertThat(refs(packages.get("zlib"))).containsEntry("purl", "pkg:github/madler/zlib@v1.3.1");
    assertThat(packages.get("zlib").get("licenseDeclared").asText()).isEqualTo("Zlib");
    String zlibId = packages.get("zlib").get("SPDXID").asText();
    assertThat(contained.get(zlibId)).containsExactlyInAnyOrder(archive.get("hello-1.0.0/vendor/zlib/zlib.h")[0],
        archive.get("hello-1.0.0/vendor/zlib/inflate.c")[0]);
    assertThat(contained.get(packages.get("expat").get("SPDXID").asText())).hasSize(2);
    // the project depends on each vendored package; the merged document's own link between two of its packages is
    // kept (given there as hacl-star DEPENDENCY_OF expat), its link to another document's element is not
    String expatId = packages.get("expat").get("SPDXID").asText();
    String haclId = packages.get("hacl-star").get("SPDXID").asText();
    List<String> dependsOn = new ArrayList<>();
    for (JsonNode r : spdx.get("relationships")) {
      if (r.get("relationshipType").asText().equals("DEPENDS_ON")) {
        dependsOn.add(r.get("spdxElementId").asText() + " -> " + r.get("relatedSpdxElement").asText());
      }
    }
    String helloId = hello.get("SPDXID").asText();
    assertThat(dependsOn).containsExactlyInAnyOrder(helloId + " -> " + zlibId, helloId + " -> " + expatId,
        helloId + " -> " + haclId, expatId + " -> " + haclId);

    // CycloneDX: the same files and facts
    JsonNode cdx = JSON.readTree(cdxBytes);
    assertThat(cdx.get("specVersion").asText()).isEqualTo("1.6");
    assertThat(cdx.at("/metadata/timestamp").asText()).isEqualTo(VENDORED_COMMIT_TIME);
    assertThat(cdx.at("/metadata/component/purl").asText()).isEqualTo("pkg:github/example/hello@1.0.0");
    assertThat(cdx.at("/metadata/component/hashes/0/content").asText())
        .isEqualTo(sha256(files.get("hello-1.0.0.tar.gz")));
    Map<String, String[]> cdxFiles = new HashMap<>();
    Map<String, JsonNode> libraries = new HashMap<>();
    collectFiles(cdx.get("components"), cdxFiles, libraries);
    assertThat(cdxFiles.keySet()).isEqualTo(archive.keySet());
    archive.forEach((path, digests) -> assertThat(cdxFiles.get(path)).as(path).containsExactly(digests));
    assertThat(libraries).containsOnlyKeys("zlib", "expat", "hacl-star");
    assertThat(libraries.get("expat").get("purl").asText()).isEqualTo("pkg:github/libexpat/libexpat@R_2_6_3");
    assertThat(libraries.get("expat").at("/licenses/0/expression").asText()).isEqualTo("MIT");
    assertThat(libraries.get("zlib").at("/licenses/0/expression").asText()).isEqualTo("Zlib");
    assertThat(cdx.at("/dependencies/0/dependsOn")).hasSize(3);
    Map<String, List<String>> cdxDependencies = new HashMap<>();
    for (JsonNode d : cdx.get("dependencies")) {
      List<String> on = new ArrayList<>();
      d.path("dependsOn").forEach(x -> on.add(x.asText()));
      cdxDependencies.put(d.get("ref").asText(), on);
    }
    assertThat(cdxDependencies).containsEntry(libraries.get("expat").get("bom-ref").asText(),
        List.of(libraries.get("hacl-star").get("bom-ref").asText()));
    assertThat(cdxDependencies.get(libraries.get("zlib").get("bom-ref").asText())).isEmpty();
  }

  @Test
  void buildSourceIndexesEveryFileSoThatTheArchivesNeedNotBeReadAndWithoutTheIndexTheyAreRead() throws Exception {
    repo.writeFile("release.yaml", SPEC.replace("source:\n", "source:\n  formats: [tar.gz, tar.xz, zip]\n"))
        .commitAll("three formats");
    repo.tag(SampleRepository.TAG);
    Checkout checkout = stages.source().checkout(
        new CheckoutInput(repo.url(), SampleRepository.VERSION, SampleRepository.TAG, null, null, false));
    Archives archives = stages.source().buildSource(checkout);
    assertThat(archives.archives()).extracting(ArtifactRef::name)
        .containsExactly("hello-1.0.0.tar.gz", "hello-1.0.0.tar.xz", "hello-1.0.0.zip");
    ArtifactRef tarGz = archives.archives().get(0);

    // the index buildSource left: every file of the archive, with the size and digests recomputed here
    List<FileDigest> indexed = FileDigestIndex.find(stages.context().store(), tarGz.sha256()).orElseThrow();
    Map<String, String[]> archive = digestsOf(read(stages, tarGz));
    assertThat(indexed).extracting(FileDigest::path).containsExactlyElementsOf(archive.keySet());
    for (FileDigest file : indexed) {
      assertThat(new String[] {file.sha1(), file.sha256()}).as(file.path()).containsExactly(archive.get(file.path()));
    }
    assertThat(indexed).filteredOn(f -> f.path().endsWith("/data/big.bin")).singleElement()
        .extracting(FileDigest::size).isEqualTo((long) (5 << 20) / 2 + 123);

    // with the index, generateSbom does not read the archives: it works with their blobs gone
    Map<Path, Path> aside = new LinkedHashMap<>();
    for (ArtifactRef ref : archives.archives()) {
      Path blob = storeRoot().resolve("blobs/sha256/" + ref.sha256().substring(0, 2) + "/" + ref.sha256());
      aside.put(blob, Files.move(blob, tmp.resolve(ref.name())));
    }
    Map<String, byte[]> fromIndex = sboms(checkout, archives);
    for (Map.Entry<Path, Path> moved : aside.entrySet()) {
      Files.move(moved.getValue(), moved.getKey());
    }

    // without it (archives built by an earlier engine), each archive is read: the same documents
    deleteIndexRecords();
    assertThat(FileDigestIndex.find(stages.context().store(), tarGz.sha256())).isEmpty();
    Map<String, byte[]> fromArchive = sboms(checkout, archives);
    assertThat(fromIndex).hasSize(6).containsKeys("hello-1.0.0.zip.spdx.json", "hello-1.0.0.tar.xz.cdx.json");
    assertThat(fromArchive.keySet()).isEqualTo(fromIndex.keySet());
    fromIndex.forEach((name, bytes) -> assertThat(fromArchive.get(name)).as(name).isEqualTo(bytes));
  }

  private Map<String, byte[]> sboms(Checkout checkout, Archives archives) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (ArtifactRef ref : stages.source().generateSbom(new SbomInput(checkout, archives.archives())).sboms()) {
      files.put(ref.name(), read(stages, ref));
    }
    return files;
  }

  private Path storeRoot() {
    return tmp.resolve("worker/store");
  }

  /** What a store written by an engine without file-digest indexes looks like. */
  private void deleteIndexRecords() throws IOException {
    try (var records = Files.list(storeRoot().resolve("records/file-digests"))) {
      for (Path record : records.toList()) {
        Files.delete(record);
      }
    }
  }

  @Test
  void anotherWorkerInAnotherEnvironmentWritesTheSameBytes() throws Exception {
    Map<String, byte[]> first = release(stages);
    TimeZone zone = TimeZone.getDefault();
    Locale locale = Locale.getDefault();
    SampleRepository other = vendoredRepository(tmp.resolve("elsewhere/hello-clone"));
    try (StageHarness elsewhere = new StageHarness(tmp.resolve("elsewhere/worker"))) {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      repo.close();
      repo = other;
      Map<String, byte[]> second = release(elsewhere);
      assertThat(second.keySet()).isEqualTo(first.keySet());
      first.forEach((name, bytes) -> assertThat(second.get(name)).as(name).isEqualTo(bytes));
    } finally {
      TimeZone.setDefault(zone);
      Locale.setDefault(locale);
    }
  }

  @Test
  void mergeDocumentThatIsNotSpdxIsRefused() throws IOException {
    repo.writeFile("Misc/sbom.spdx.json", "{\"bomFormat\": \"CycloneDX\"}\n").commitAll("not spdx");
    assertRefused("Misc/sbom.spdx.json (sbom.merge) is not an SPDX 2.x JSON document");
    repo.writeFile("Misc/sbom.spdx.json", "{\"spdxVersion\": \"SPDX-2.3\", \"files\": [{\"SPDXID\": 1}]}\n")
        .commitAll("no file name");
    assertRefused("files[] has no SPDXID; it is not valid SPDX");
    repo.writeFile("Misc/sbom.spdx.json", "{\"spdxVersion\": \"SPDX-2.3\",\n").commitAll("truncated");
    assertRefused("Misc/sbom.spdx.json (sbom.merge) is not valid JSON");
  }

  @Test
  void vendoredPathMissingFromTheTreeIsRefused() throws IOException {
    repo.writeFile("release.yaml", SPEC.replace("paths: [vendor/zlib/]", "paths: [vendor/zlib/, vendor/zstd]"))
        .commitAll("zstd not vendored yet");
    assertRefused("sbom.packages zlib lists vendor/zstd but hello-1.0.0.tar.gz has no such file or folder");
    repo.writeFile("release.yaml", SPEC.replace("merge: Misc/sbom.spdx.json", "merge: Misc/missing.spdx.json"))
        .commitAll("wrong merge path");
    assertRefused("sbom.merge names Misc/missing.spdx.json but hello-1.0.0.tar.gz has no such file");
  }

  @Test
  void vendoredFileChangedSinceTheMergeDocumentIsRefused() throws IOException {
    repo.writeFile("third_party/expat/expat.h", EXPAT_H + "/* local patch */\n").commitAll("patch expat");
    assertRefused("third_party/expat/expat.h (package expat) has SHA256 "
        + sha256(EXPAT_H + "/* local patch */\n") + " in hello-1.0.0.tar.gz but " + sha256(EXPAT_H));
  }

  @Test
  void fileListedInTheMergeDocumentButMissingFromTheArchiveIsRefused() throws IOException {
    Files.delete(repo.dir().resolve("third_party/expat/xmlparse.c"));
    repo.commitAll("drop xmlparse.c");
    assertRefused("lists third_party/expat/xmlparse.c (package expat) but hello-1.0.0.tar.gz has no such file");
  }

  private void assertRefused(String message) throws IOException {
    repo.tag(SampleRepository.TAG);
    Checkout checkout = stages.source().checkout(
        new CheckoutInput(repo.url(), SampleRepository.VERSION, SampleRepository.TAG, null, null, false));
    Archives archives = stages.source().buildSource(checkout);
    // from the file-digest index, then from the archive itself
    assertThat(FileDigestIndex.find(stages.context().store(), archives.archives().get(0).sha256())).isPresent();
    for (int i = 0; i < 2; i++) {
      ApplicationFailure f = failure(() -> stages.source().generateSbom(new SbomInput(checkout, archives.archives())));
      assertThat(f.getType()).isEqualTo(Failures.SBOM_MISMATCH);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage()).contains(message);
      deleteIndexRecords();
    }
  }

  private static void collectFiles(JsonNode components, Map<String, String[]> files, Map<String, JsonNode> libraries) {
    for (JsonNode c : components) {
      if (c.get("type").asText().equals("file")) {
        String[] digests = new String[2];
        for (JsonNode h : c.get("hashes")) {
          digests[h.get("alg").asText().equals("SHA-1") ? 0 : 1] = h.get("content").asText();
        }
        assertThat(files.put(c.get("name").asText(), digests)).as("listed once").isNull();
      } else {
        libraries.put(c.get("name").asText(), c);
      }
      if (c.has("components")) {
        collectFiles(c.get("components"), files, libraries);
      }
    }
  }

  private static Map<String, String> refs(JsonNode pkg) {
    Map<String, String> refs = new HashMap<>();
    pkg.path("externalRefs").forEach(r -> refs.put(r.get("referenceType").asText(),
        r.get("referenceLocator").asText()));
    return refs;
  }

  private static String checksum(JsonNode file, String algorithm) {
    for (JsonNode c : file.get("checksums")) {
      if (c.get("algorithm").asText().equals(algorithm)) {
        return c.get("checksumValue").asText();
      }
    }
    throw new AssertionError("no " + algorithm + " in " + file);
  }

  /** SHA-1 and SHA-256 of every regular file, read straight from the tar.gz. */
  private static Map<String, String[]> digestsOf(byte[] tarGz) throws Exception {
    Map<String, String[]> digests = new TreeMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GzipCompressorInputStream(new ByteArrayInputStream(tarGz)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          byte[] content = tar.readAllBytes();
          digests.put(entry.getName(), new String[] {hex("SHA-1", content), hex("SHA-256", content)});
        }
      }
    }
    return digests;
  }

  private static byte[] read(StageHarness harness, ArtifactRef ref) throws IOException {
    try (InputStream in = harness.context().store().open(ref.sha256())) {
      return in.readAllBytes();
    }
  }

  private static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] content) {
    return hex("SHA-256", content);
  }

  private static String sha1Hex(String text) {
    return hex("SHA-1", text.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
