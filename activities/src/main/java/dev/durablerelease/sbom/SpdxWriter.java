package dev.durablerelease.sbom;

import dev.durablerelease.archive.FileDigest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an SPDX 2.3 JSON document: the project as a package with the archive's SHA-256, every file of the archive
 * with SHA-1 and SHA-256, and the vendored components as packages the project DEPENDS_ON, each CONTAINING its files.
 * Keys are sorted and the only timestamp is the commit time, so the same archive always gives the same bytes.
 */
final class SpdxWriter {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();
  private static final String NOASSERTION = "NOASSERTION";

  private SpdxWriter() {}

  static byte[] write(SbomContent content) throws IOException {
    SbomGenerator.Facts facts = content.facts();
    String purpose = content.source() ? "SOURCE" : "ARCHIVE";
    List<Map<String, Object>> packages = new ArrayList<>();
    Map<String, Object> project = pkg(content, content.projectId(), facts.project(), facts.version(),
        facts.license(), facts.purl(), facts.cpe(), content.downloadLocation(), supplier(facts.supplier()), purpose);
    project.put("packageFileName", content.archive().name());
    if (facts.releaseLevel() != null) {
      // SPDX 2.3 has no field for it: the package comment says whether this is a pre-release
      project.put("comment", (facts.prerelease() ? "pre-release" : "release") + " (" + facts.releaseLevel()
          + ") " + facts.version() + " of " + facts.project());
    }
    project.put("checksums", List.of(checksum("SHA256", content.archive().sha256())));
    packages.add(project);

    List<Map<String, Object>> relationships = new ArrayList<>();
    relationships.add(relationship("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-" + content.projectId()));
    for (SbomContent.Vendored v : content.vendored()) {
      VendoredComponent c = v.component();
      Map<String, Object> node = pkg(content, v.id(), c.name(), c.version(), c.license(), c.purl(), c.cpe(),
          c.downloadLocation(), c.supplier(), "SOURCE");
      if (!c.checksums().isEmpty()) {
        node.put("checksums", c.checksums().stream().map(x -> checksum(x.algorithm(), x.value())).toList());
      }
      packages.add(node);
      relationships.add(relationship("SPDXRef-" + content.projectId(), "DEPENDS_ON", "SPDXRef-" + v.id()));
      for (String dependency : v.dependsOn()) {
        relationships.add(relationship("SPDXRef-" + v.id(), "DEPENDS_ON", "SPDXRef-" + dependency));
      }
    }

    List<Map<String, Object>> files = new ArrayList<>();
    for (SbomContent.DescribedFile file : content.files()) {
      Map<String, Object> node = new TreeMap<>();
      node.put("SPDXID", "SPDXRef-" + file.id());
      node.put("fileName", "./" + file.digest().path());
      node.put("checksums", List.of(checksum("SHA1", file.digest().sha1()),
          checksum("SHA256", file.digest().sha256())));
      node.put("licenseConcluded", NOASSERTION);
      node.put("copyrightText", NOASSERTION);
      files.add(node);
      relationships.add(relationship("SPDXRef-" + file.ownerId(), "CONTAINS", "SPDXRef-" + file.id()));
    }

    List<String> creators = new ArrayList<>();
    if (facts.supplier() != null) {
      creators.add("Organization: " + facts.supplier());
    }
    creators.add("Tool: durable-release-" + facts.toolVersion());

    Map<String, Object> doc = new TreeMap<>();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", content.archive().name());
    doc.put("documentNamespace", content.downloadLocation() != null
        ? content.downloadLocation() + ".spdx.json"
        : "urn:uuid:" + content.uuid("spdx"));
    doc.put("creationInfo", Map.of(
        "created", Instant.ofEpochSecond(facts.commitTime()).toString(),
        "creators", creators));
    doc.put("packages", packages);
    doc.put("files", files);
    doc.put("relationships", relationships);
    return JSON.writeValueAsBytes(doc);
  }

  private static Map<String, Object> pkg(SbomContent content, String id, String name, String version,
      String license, String purl, String cpe, String downloadLocation, String supplier, String purpose) {
    Map<String, Object> node = new TreeMap<>();
    node.put("SPDXID", "SPDXRef-" + id);
    node.put("name", name);
    if (version != null) {
      node.put("versionInfo", version);
    }
    node.put("downloadLocation", downloadLocation == null ? NOASSERTION : downloadLocation);
    node.put("supplier", supplier == null ? NOASSERTION : supplier);
    List<FileDigest> files = content.filesOf(id);
    // a package with no file in the archive (declared upstream only) cannot have a verification code
    node.put("filesAnalyzed", !files.isEmpty());
    if (!files.isEmpty()) {
      node.put("packageVerificationCode",
          Map.of("packageVerificationCodeValue", SbomContent.verificationCode(files)));
    }
    node.put("licenseConcluded", NOASSERTION);
    node.put("licenseDeclared", license == null ? NOASSERTION : license);
    node.put("copyrightText", NOASSERTION);
    node.put("primaryPackagePurpose", purpose);
    List<Map<String, Object>> refs = new ArrayList<>();
    if (cpe != null) {
      refs.add(externalRef("SECURITY", "cpe23Type", cpe));
    }
    if (purl != null) {
      refs.add(externalRef("PACKAGE-MANAGER", "purl", purl));
    }
    if (!refs.isEmpty()) {
      node.put("externalRefs", refs);
    }
    return node;
  }

  private static String supplier(String organisation) {
    return organisation == null ? null : "Organization: " + organisation;
  }

  private static Map<String, Object> externalRef(String category, String type, String locator) {
    Map<String, Object> m = new TreeMap<>();
    m.put("referenceCategory", category);
    m.put("referenceType", type);
    m.put("referenceLocator", locator);
    return m;
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
}
