package dev.durablerelease.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.spec.SbomPackage;
import dev.durablerelease.spec.SbomSpec;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SBOMs of every archive format the archives stage writes: regular files only, each with its own digests. */
class ArchiveFormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SbomSpec SPEC = new SbomSpec(List.of("spdx", "cyclonedx"), "Example Org", "MIT",
      List.of(new SbomPackage("blob", "1.0", "BSD-3-Clause", "pkg:generic/blob@1.0", null, List.of("data/"))),
      null, null, null, null);
  private static final SbomGenerator.Facts FACTS = new SbomGenerator.Facts("hello", "1.0.0", "Example Org", "MIT",
      null, null, null, 1_800_000_000L, "test");

  /** The files every test archive holds, besides a folder and a symlink. */
  private static Map<String, byte[]> contents() {
    byte[] big = new byte[3 << 20];
    new Random(7).nextBytes(big);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("hello-1.0.0/README", "hello\n".getBytes(StandardCharsets.UTF_8));
    files.put("hello-1.0.0/empty", new byte[0]);
    files.put("hello-1.0.0/data/big.bin", big);
    return files;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tar.gz", "tar.xz", "zip"})
  void everyRegularFileIsListedWithItsDigestsAndSymlinksAreNot(String format) throws Exception {
    Map<String, byte[]> files = contents();
    byte[] archive = format.equals("zip") ? zip(files) : tar(files, format);
    ArtifactRef ref = new ArtifactRef("hello-1.0.0." + format, ArtifactKind.SOURCE_ARCHIVE, hex("SHA-256", archive),
        archive.length);
    List<SbomGenerator.SbomFile> sboms = SbomGenerator.generate(ref, new ByteArrayInputStream(archive), SPEC, FACTS);
    assertThat(sboms).extracting(SbomGenerator.SbomFile::name)
        .containsExactly(ref.name() + ".spdx.json", ref.name() + ".cdx.json");

    JsonNode spdx = JSON.readTree(sboms.get(0).content());
    Map<String, String> listed = new TreeMap<>();
    spdx.get("files").forEach(f -> listed.put(f.get("fileName").asText(),
        f.get("checksums").get(0).get("checksumValue").asText() + " "
            + f.get("checksums").get(1).get("checksumValue").asText()));
    Map<String, String> expected = new TreeMap<>();
    files.forEach((path, content) -> expected.put("./" + path, hex("SHA-1", content) + " " + hex("SHA-256", content)));
    assertThat(listed).isEqualTo(expected);
    assertThat(spdx.toString()).contains("\"name\":\"blob\"").doesNotContain("hello-1.0.0/link");
  }

  @Test
  void fileLargerThanWhatMayWaitForHashingIsHashedWhole() throws Exception {
    // 80 MiB: more than the 32 MiB the reader may get ahead of the hashing pool, so it must wait for it
    int size = 80 << 20;
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      TarArchiveEntry entry = new TarArchiveEntry("hello-1.0.0/huge.bin");
      entry.setSize(size);
      tar.putArchiveEntry(entry);
      byte[] block = new byte[1 << 16];
      for (int written = 0; written < size; written += block.length) {
        java.util.Arrays.fill(block, (byte) (written >> 16));
        tar.write(block);
        sha1.update(block);
        sha256.update(block);
      }
      tar.closeArchiveEntry();
    }
    byte[] archive = bytes.toByteArray();
    ArtifactRef ref = new ArtifactRef("hello-1.0.0.tar.gz", ArtifactKind.DOCS_ARCHIVE, hex("SHA-256", archive),
        archive.length);
    SbomSpec spdxOnly = new SbomSpec(List.of("spdx"), null, null);
    JsonNode file = JSON.readTree(SbomGenerator.generate(ref, new ByteArrayInputStream(archive), spdxOnly, FACTS)
        .get(0).content()).get("files").get(0);
    assertThat(file.get("checksums").get(0).get("checksumValue").asText())
        .isEqualTo(HexFormat.of().formatHex(sha1.digest()));
    assertThat(file.get("checksums").get(1).get("checksumValue").asText())
        .isEqualTo(HexFormat.of().formatHex(sha256.digest()));
  }

  @Test
  void archiveOfAnotherFormatIsAClearError() {
    ArtifactRef ref = new ArtifactRef("hello-1.0.0-docs.epub", ArtifactKind.DOCS_ARCHIVE, "00", 2);
    assertThatThrownBy(() -> SbomGenerator.generate(ref, new ByteArrayInputStream(new byte[2]), SPEC, FACTS))
        .isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.type()).isEqualTo(Failures.INVALID_SPEC))
        .hasMessageContaining("cannot describe hello-1.0.0-docs.epub");
  }

  private static byte[] tar(Map<String, byte[]> files, String format) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream compressed = format.equals("tar.gz") ? new GzipCompressorOutputStream(bytes)
            : new XZCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
      tar.putArchiveEntry(new TarArchiveEntry("hello-1.0.0/data/"));
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("hello-1.0.0/link", TarConstants.LF_SYMLINK);
      link.setLinkName("README");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] zip(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
      zip.putArchiveEntry(new ZipArchiveEntry("hello-1.0.0/data/"));
      zip.closeArchiveEntry();
      ZipArchiveEntry link = new ZipArchiveEntry("hello-1.0.0/link");
      link.setUnixMode(UnixStat.LINK_FLAG | 0777);
      zip.putArchiveEntry(link);
      zip.write("README".getBytes(StandardCharsets.UTF_8));
      zip.closeArchiveEntry();
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        zip.putArchiveEntry(new ZipArchiveEntry(file.getKey()));
        zip.write(file.getValue());
        zip.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
