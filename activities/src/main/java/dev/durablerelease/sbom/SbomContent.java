package dev.durablerelease.sbom;

import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.store.Digests;
import dev.durablerelease.contract.ArtifactRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What both SBOM formats say about one archive, with the element ids they share. Everything is sorted and every id
 * derives from a name, so the same archive always gives the same documents.
 *
 * @param facts the project's facts
 * @param archive the archive described
 * @param source whether it is a source archive (else a docs archive)
 * @param projectId id of the project's package
 * @param vendored vendored components with their ids and the ids of those they depend on, sorted by name
 * @param files every file of the archive with its id and the id of the package that contains it, sorted by path
 */
record SbomContent(SbomGenerator.Facts facts, ArtifactRef archive, boolean source, String projectId,
    List<Vendored> vendored, List<DescribedFile> files) {

  record Vendored(String id, VendoredComponent component, List<String> dependsOn) {}

  record DescribedFile(String id, String ownerId, FileDigest digest) {}

  static SbomContent of(SbomGenerator.Facts facts, ArtifactRef archive, boolean source, List<FileDigest> files,
      List<VendoredComponent> components) {
    Set<String> used = new HashSet<>(Set.of("DOCUMENT"));
    String projectId = uniqueId("PACKAGE-" + sanitize(facts.project()), facts.project(), used);
    Map<String, String> owners = new HashMap<>();
    Map<String, String> idsByKey = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (VendoredComponent c : components) {
      String id = uniqueId("PACKAGE-" + sanitize(c.name()), c.key(), used);
      ids.add(id);
      idsByKey.putIfAbsent(c.key(), id);
      c.files().forEach(f -> owners.put(f.path(), id));
    }
    List<Vendored> vendored = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      VendoredComponent c = components.get(i);
      vendored.add(new Vendored(ids.get(i), c, c.dependsOn().stream().map(idsByKey::get).toList()));
    }
    List<FileDigest> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(FileDigest::path));
    List<DescribedFile> described = new ArrayList<>();
    for (FileDigest f : sorted) {
      described.add(new DescribedFile(uniqueId("FILE-" + sanitize(f.path()), f.path(), used),
          owners.getOrDefault(f.path(), projectId), f));
    }
    return new SbomContent(facts, archive, source, projectId, vendored, described);
  }

  /** The files a package contains. */
  List<FileDigest> filesOf(String packageId) {
    return files.stream().filter(f -> f.ownerId().equals(packageId)).map(DescribedFile::digest).toList();
  }

  /** A UUID derived from the archive's digest: the same archive gets the same document identity. */
  UUID uuid(String format) {
    return UUID.nameUUIDFromBytes(("durable-release:" + format + ":" + archive.sha256())
        .getBytes(StandardCharsets.UTF_8));
  }

  /** Where the archive can be downloaded, or null when the spec names no public folder. */
  String downloadLocation() {
    return facts.downloadUrl() == null ? null : facts.downloadUrl() + archive.name();
  }

  /** SPDX 2.3 §7.9: SHA-1 over the sorted, concatenated lower-case SHA-1s of the package's files. */
  static String verificationCode(List<FileDigest> files) {
    List<String> sha1s = new ArrayList<>(files.stream().map(FileDigest::sha1).toList());
    sha1s.sort(null);
    return Digests.hex(Digests.sha1().digest(String.join("", sha1s).getBytes(StandardCharsets.US_ASCII)));
  }

  /** SPDX ids allow letters, digits, '.' and '-'. */
  static String sanitize(String name) {
    return name.replaceAll("[^A-Za-z0-9.-]", "-");
  }

  /**
   * Sanitising can make two names collide; the later one (in sorted order) gets a short hash of its own name, so its
   * id does not depend on anything else in the archive.
   */
  private static String uniqueId(String id, String name, Set<String> used) {
    String candidate = id;
    if (!used.add(candidate)) {
      String hash = Digests.sha256Hex(name.getBytes(StandardCharsets.UTF_8)).substring(0, 8);
      candidate = id + "-" + hash;
      for (int n = 2; !used.add(candidate); n++) {
        candidate = id + "-" + hash + "-" + n;
      }
    }
    return candidate;
  }
}
