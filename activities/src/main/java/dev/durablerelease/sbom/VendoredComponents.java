package dev.durablerelease.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.spec.SbomPackage;
import dev.durablerelease.spec.SbomSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the vendored components of a source archive: those the spec declares (matched by path) and those an SPDX
 * document in the tree lists (matched by path and checksum). Any disagreement with the archive is a
 * {@link Failures#SBOM_MISMATCH}: a retry cannot fix it, the tree or the declaration must change.
 */
final class VendoredComponents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NO_VALUE = Set.of("NOASSERTION", "NONE");

  private final String archiveName;
  private final String topFolder;
  /** Archive files by path relative to the tree's root. */
  private final Map<String, FileDigest> byTreePath = new LinkedHashMap<>();
  /** Which component claimed a file first, by tree path. */
  private final Map<String, String> owners = new HashMap<>();

  private VendoredComponents(String archiveName, String topFolder, List<FileDigest> files) {
    this.archiveName = archiveName;
    this.topFolder = topFolder;
    for (FileDigest file : files) {
      byTreePath.put(file.path().substring(topFolder.length()), file);
    }
  }

  /**
   * @param topFolder the archive's top folder with its slash ({@code hello-1.0.0/}), or empty
   * @param kept the merge document's content by archive path, if the spec names one
   */
  static List<VendoredComponent> resolve(String archiveName, String topFolder, List<FileDigest> files, SbomSpec spec,
      Map<String, byte[]> kept) {
    VendoredComponents resolver = new VendoredComponents(archiveName, topFolder, files);
    List<VendoredComponent> components = new ArrayList<>();
    for (SbomPackage p : spec.packages() == null ? List.<SbomPackage>of() : spec.packages()) {
      components.add(resolver.declared(p));
    }
    if (spec.merge() != null) {
      components.addAll(resolver.merged(spec.merge(), kept.get(topFolder + spec.merge())));
    }
    components.sort(Comparator.comparing(VendoredComponent::name).thenComparing(c -> String.valueOf(c.version())));
    return components;
  }

  private VendoredComponent declared(SbomPackage p) {
    Map<String, FileDigest> matched = new java.util.TreeMap<>();
    for (String path : p.paths()) {
      String folder = path.endsWith("/") ? path : path + "/";
      String file = path.endsWith("/") ? null : path;
      boolean found = false;
      for (Map.Entry<String, FileDigest> e : byTreePath.entrySet()) {
        if (e.getKey().equals(file) || e.getKey().startsWith(folder)) {
          matched.put(e.getKey(), claim(e.getKey(), e.getValue(), "sbom.packages " + p.name()));
          found = true;
        }
      }
      if (!found) {
        throw mismatch("sbom.packages " + p.name() + " lists " + path + " but " + archiveName + " has no such file"
            + " or folder; fix the path in the spec (files left out by source.exclude are not in the archive)");
      }
    }
    List<FileDigest> files = new ArrayList<>(matched.values());
    files.sort(Comparator.comparing(FileDigest::path));
    return new VendoredComponent(p.name(), p.version(), p.license(), p.purl(), p.cpe(), null, null, List.of(), files,
        List.of());
  }

  private List<VendoredComponent> merged(String docPath, byte[] content) {
    if (content == null) {
      throw mismatch("sbom.merge names " + docPath + " but " + archiveName + " has no such file; commit the SPDX"
          + " document there or fix sbom.merge");
    }
    String where = docPath + " (sbom.merge)";
    JsonNode doc;
    try {
      doc = JSON.readTree(content);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw mismatch(where + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // reading from memory
    }
    if (doc == null || !doc.isObject() || !doc.path("spdxVersion").asText().startsWith("SPDX-2.")) {
      throw mismatch(where + " is not an SPDX 2.x JSON document: spdxVersion is "
          + (doc != null && doc.has("spdxVersion") ? doc.get("spdxVersion") : "missing")
          + "; give the path of an SPDX 2.3 JSON file");
    }
    Map<String, JsonNode> packages = new LinkedHashMap<>();
    for (JsonNode p : array(doc, "packages", where)) {
      String id = required(p, "SPDXID", where + " packages[]");
      required(p, "name", where + " package " + id);
      packages.put(id, p);
    }
    Map<String, JsonNode> filesById = new HashMap<>();
    for (JsonNode f : array(doc, "files", where)) {
      filesById.put(required(f, "SPDXID", where + " files[]"), f);
    }
    Map<String, List<FileDigest>> contained = new HashMap<>();
    Map<String, Set<String>> dependsOn = new HashMap<>();
    for (JsonNode r : array(doc, "relationships", where)) {
      String type = r.path("relationshipType").asText();
      String from = r.path("spdxElementId").asText();
      String to = r.path("relatedSpdxElement").asText();
      if (type.equals("DEPENDS_ON") || type.equals("DEPENDENCY_OF")) {
        // between two of its packages; links to elements of other documents are theirs to describe
        String dependent = type.equals("DEPENDS_ON") ? from : to;
        String dependency = type.equals("DEPENDS_ON") ? to : from;
        if (packages.containsKey(dependent) && packages.containsKey(dependency)) {
          dependsOn.computeIfAbsent(dependent, k -> new TreeSet<>()).add(dependency);
        }
        continue;
      }
      if (!type.equals("CONTAINS")) {
        continue;
      }
      JsonNode file = filesById.get(to);
      if (file == null) {
        continue; // a package containing a package: no file to match
      }
      JsonNode pkg = packages.get(from);
      if (pkg == null) {
        throw mismatch(where + " says " + from + " CONTAINS " + to + " but has no package " + from);
      }
      contained.computeIfAbsent(from, k -> new ArrayList<>()).add(matchFile(file, pkg.get("name").asText(), where));
    }
    List<VendoredComponent> result = new ArrayList<>();
    packages.forEach((id, p) -> {
      List<FileDigest> files = new ArrayList<>(contained.getOrDefault(id, List.of()));
      files.sort(Comparator.comparing(FileDigest::path));
      String purl = null;
      String cpe = null;
      for (JsonNode ref : p.path("externalRefs")) {
        switch (ref.path("referenceType").asText()) {
          case "purl" -> purl = ref.path("referenceLocator").asText(null);
          case "cpe23Type" -> cpe = ref.path("referenceLocator").asText(null);
          default -> { }
        }
      }
      List<VendoredComponent.Checksum> checksums = new ArrayList<>();
      for (JsonNode c : p.path("checksums")) {
        checksums.add(new VendoredComponent.Checksum(c.path("algorithm").asText(), c.path("checksumValue").asText()));
      }
      String license = value(p, "licenseDeclared");
      List<String> dependencies = dependsOn.getOrDefault(id, Set.of()).stream()
          .map(d -> VendoredComponent.key(packages.get(d).get("name").asText(), value(packages.get(d), "versionInfo")))
          .sorted().distinct().toList();
      result.add(new VendoredComponent(p.get("name").asText(), value(p, "versionInfo"),
          license != null ? license : value(p, "licenseConcluded"), purl, cpe, value(p, "downloadLocation"),
          value(p, "supplier"), checksums, files, dependencies));
    });
    return result;
  }

  /** The archive's copy of a file the document lists, which must have the checksums the document gives. */
  private FileDigest matchFile(JsonNode file, String packageName, String where) {
    String name = required(file, "fileName", where + " file " + file.path("SPDXID").asText());
    String treePath = name.startsWith("./") ? name.substring(2) : name;
    FileDigest actual = byTreePath.get(treePath);
    if (actual == null) {
      throw mismatch(where + " lists " + treePath + " (package " + packageName + ") but " + archiveName
          + " has no such file under " + (topFolder.isEmpty() ? "its root" : topFolder)
          + "; restore the file or regenerate the document");
    }
    Map<String, String> expected = new HashMap<>();
    for (JsonNode c : file.path("checksums")) {
      expected.put(c.path("algorithm").asText(), c.path("checksumValue").asText().toLowerCase(java.util.Locale.ROOT));
    }
    if (!expected.containsKey("SHA256")) {
      throw mismatch(where + " gives no SHA256 checksum for " + treePath + "; files are matched by checksum");
    }
    for (String[] check : List.of(new String[] {"SHA256", actual.sha256()}, new String[] {"SHA1", actual.sha1()})) {
      String want = expected.get(check[0]);
      if (want != null && !want.equals(check[1])) {
        throw mismatch(treePath + " (package " + packageName + ") has " + check[0] + " " + check[1] + " in "
            + archiveName + " but " + want + " in " + where + "; the vendored copy was changed: regenerate the"
            + " document or restore the file");
      }
    }
    return claim(treePath, actual, "package " + packageName + " of " + where);
  }

  private FileDigest claim(String treePath, FileDigest file, String owner) {
    String previous = owners.putIfAbsent(treePath, owner);
    if (previous != null && !previous.equals(owner)) {
      throw mismatch(treePath + " is claimed by both " + previous + " and " + owner + "; a file belongs to one"
          + " component");
    }
    return file;
  }

  private static Iterable<JsonNode> array(JsonNode doc, String field, String where) {
    JsonNode node = doc.path(field);
    if (node.isMissingNode()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw mismatch(where + ": " + field + " must be an array");
    }
    return node;
  }

  private static String required(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw mismatch(where + " has no " + field + "; it is not valid SPDX");
    }
    return value.asText();
  }

  private static String value(JsonNode node, String field) {
    String value = node.path(field).asText(null);
    return value == null || value.isBlank() || NO_VALUE.contains(value) ? null : value;
  }

  private static StageFailure mismatch(String message) {
    return new StageFailure(Failures.SBOM_MISMATCH, message);
  }
}
