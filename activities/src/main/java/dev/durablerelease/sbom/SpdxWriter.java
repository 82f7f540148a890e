package dev.durablerelease.sbom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.archive.ArchiveReader;
import dev.durablerelease.store.Digests;
import dev.durablerelease.workflow.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes an SPDX 2.3 JSON document for one archive: the project as a package with the archive's SHA-256, and every
 * file of the archive with SHA-1 and SHA-256. The only timestamp is the commit time, so the same archive always gives
 * the same bytes.
 */
public final class SpdxWriter {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  /** A file found in the archive. */
  private record FileFacts(String path, String sha1, String sha256) {}

  /**
   * What the document says about the project.
   *
   * @param project project name
   * @param version version
   * @param supplier organisation, or null
   * @param license declared licence expression, or null
   * @param commitTime epoch seconds; the document's {@code created}
   * @param toolVersion our version, named in the creators
   * @param purpose SPDX primary package purpose, e.g. SOURCE
   */
  public record Facts(String project, String version, String supplier, String license, long commitTime,
      String toolVersion, String purpose) {}

  private SpdxWriter() {}

  /** Reads the archive once and writes its SPDX document to {@code out}, which it closes. */
  public static void write(ArtifactRef archive, InputStream content, Facts facts, OutputStream out)
      throws IOException {
    List<FileFacts> files = new ArrayList<>();
    ArchiveReader.forEachFile(archive.name(), content, (path, size, in) -> {
      MessageDigest sha1 = Digests.sha1();
      MessageDigest sha256 = Digests.sha256();
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha1.update(buffer, 0, n);
        sha256.update(buffer, 0, n);
      }
      files.add(new FileFacts(path, Digests.hex(sha1.digest()), Digests.hex(sha256.digest())));
    });
    files.sort((a, b) -> a.path().compareTo(b.path()));

    String packageId = "SPDXRef-PACKAGE-" + sanitize(facts.project());
    Set<String> usedIds = new HashSet<>(Set.of("SPDXRef-DOCUMENT", packageId));
    List<Map<String, Object>> fileNodes = new ArrayList<>();
    List<Map<String, Object>> relationships = new ArrayList<>();
    relationships.add(relationship("SPDXRef-DOCUMENT", "DESCRIBES", packageId));
    for (FileFacts file : files) {
      String id = uniqueId("SPDXRef-FILE-" + sanitize(file.path()), file.sha256(), usedIds);
      Map<String, Object> node = new TreeMap<>();
      node.put("SPDXID", id);
      node.put("fileName", "./" + file.path());
      node.put("checksums", List.of(checksum("SHA1", file.sha1()), checksum("SHA256", file.sha256())));
      node.put("licenseConcluded", "NOASSERTION");
      node.put("copyrightText", "NOASSERTION");
      fileNodes.add(node);
      relationships.add(relationship(packageId, "CONTAINS", id));
    }

    Map<String, Object> pkg = new TreeMap<>();
    pkg.put("SPDXID", packageId);
    pkg.put("name", facts.project());
    pkg.put("versionInfo", facts.version());
    pkg.put("packageFileName", archive.name());
    pkg.put("downloadLocation", "NOASSERTION");
    pkg.put("supplier", facts.supplier() == null ? "NOASSERTION" : "Organization: " + facts.supplier());
    pkg.put("filesAnalyzed", true);
    pkg.put("packageVerificationCode", Map.of("packageVerificationCodeValue", verificationCode(files)));
    pkg.put("checksums", List.of(checksum("SHA256", archive.sha256())));
    pkg.put("licenseConcluded", "NOASSERTION");
    pkg.put("licenseDeclared", facts.license() == null ? "NOASSERTION" : facts.license());
    pkg.put("copyrightText", "NOASSERTION");
    pkg.put("primaryPackagePurpose", facts.purpose());

    List<String> creators = new ArrayList<>();
    if (facts.supplier() != null) {
      creators.add("Organization: " + facts.supplier());
    }
    creators.add("Tool: durable-release-" + facts.toolVersion());

    Map<String, Object> doc = new TreeMap<>();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", archive.name());
    doc.put("documentNamespace", "urn:uuid:" + UUID.nameUUIDFromBytes(
        ("durable-release:" + archive.sha256()).getBytes(StandardCharsets.UTF_8)));
    doc.put("creationInfo", Map.of(
        "created", Instant.ofEpochSecond(facts.commitTime()).toString(),
        "creators", creators));
    doc.put("packages", List.of(pkg));
    doc.put("files", fileNodes);
    doc.put("relationships", relationships);
    JSON.writeValue(out, doc);
  }

  /** SPDX 2.3 §7.9: SHA-1 over the sorted, concatenated lower-case SHA-1s of the package's files. */
  static String verificationCode(List<FileFacts> files) {
    List<String> sha1s = new ArrayList<>(files.stream().map(FileFacts::sha1).toList());
    sha1s.sort(null);
    return Digests.hex(Digests.sha1().digest(String.join("", sha1s).getBytes(StandardCharsets.US_ASCII)));
  }

  private static Map<String, Object> checksum(String algorithm, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithm", algorithm);
    m.put("checksumValue", value);
    return m;
  }

  private static Map<String, Object> relationship(String from, String type, String to) {
    Map<String, Object> m = new TreeMap<>();
    m.put("spdxElementId", from);
    m.put("relationshipType", type);
    m.put("relatedSpdxElement", to);
    return m;
  }

  /** SPDX ids allow letters, digits, '.' and '-'. */
  static String sanitize(String name) {
    return name.replaceAll("[^A-Za-z0-9.-]", "-");
  }

  /** Sanitising can make two paths collide; the second gets a short hash suffix, stable for the same file. */
  private static String uniqueId(String id, String sha256, Set<String> used) {
    String candidate = id;
    if (!used.add(candidate)) {
      candidate = id + "-" + sha256.substring(0, 8);
      int n = 2;
      while (!used.add(candidate)) {
        candidate = id + "-" + sha256.substring(0, 8) + "-" + n++;
      }
    }
    return candidate;
  }
}
