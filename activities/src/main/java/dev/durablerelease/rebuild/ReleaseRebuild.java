package dev.durablerelease.rebuild;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.archive.ArchiveSettings;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.git.FetchMonitor;
import dev.durablerelease.git.GitCache;
import dev.durablerelease.provenance.ProvenanceWriter;
import dev.durablerelease.rebuild.FileComparison.Side;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.version.InvalidVersionException;
import dev.durablerelease.version.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds a published release's source archives and SBOMs from its provenance alone, with this engine, and compares
 * each with the published file: anyone can check that the files are exactly what the tagged commit makes. Needs git
 * access to the repository, no Temporal server and no artifact store.
 */
public final class ReleaseRebuild {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** The release cannot be rebuilt from what its folder holds; the message says why and what to do. */
  public static final class CannotRebuild extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CannotRebuild(String message) {
      super(message);
    }
  }

  /**
   * What the provenance records of how the files were made.
   *
   * @param repository where the source came from
   * @param tag the tag released
   * @param commit the commit it resolved to
   * @param spec the spec the release ran with
   * @param versions the engine's and the compression libraries' versions, by name
   * @param archiveSettings the compression settings, by name; empty in provenance of engines that did not record them
   */
  public record Recorded(String repository, String tag, String commit, ReleaseSpec spec, Map<String, String> versions,
      Map<String, String> archiveSettings) {}

  /** One rebuilt file: the same bytes as the published one, or its first differing entry. */
  public record Line(String file, boolean same, String detail) {}

  private ReleaseRebuild() {}

  /**
   * Rebuilds the release whose files are in {@code releaseDir}, as its provenance records it, in {@code workDir} (a
   * fresh, empty folder), with this engine, whose version is {@code engineVersion}; returns one line per rebuilt file:
   * the archives, then their SBOMs.
   */
  public static List<Line> rebuild(Path releaseDir, Recorded recorded, Path workDir, String engineVersion)
      throws IOException {
    GitCache git = new GitCache(workDir.resolve("git"));
    FetchMonitor fetches = new FetchMonitor();
    GitCache.ResolvedTag tag = git.fetchTag(recorded.repository(), recorded.tag(), fetches);
    if (!tag.commit().equals(recorded.commit())) {
      throw new CannotRebuild("tag " + recorded.tag() + " of " + recorded.repository() + " now resolves to "
          + tag.commit() + ", not " + recorded.commit() + " as when it was released: the tag was moved after the"
          + " release");
    }
    String engine = recorded.versions().getOrDefault(ProvenanceWriter.ENGINE, engineVersion);
    // the SBOMs name the engine that made the release, as the published ones do
    SourceRebuild.Origin origin = new SourceRebuild.Origin(recorded.repository(), recorded.tag(), recorded.commit(),
        tag.commitTime(), recorded.spec(), versionFacts(recorded.spec()), engine);
    Path out = Files.createDirectories(workDir.resolve("rebuilt"));
    SourceRebuild.Made made = SourceRebuild.build(origin, git, out, ArchiveWriter::write, (path, url) -> { },
        fetches);
    List<Line> lines = new ArrayList<>();
    for (Map.Entry<String, Path> file : made.all().entrySet()) {
      Path published = releaseDir.resolve(file.getKey());
      if (!Files.isRegularFile(published)) {
        lines.add(new Line(file.getKey(), false, "not in the release folder"));
        continue;
      }
      lines.add(FileComparison.firstDifference(file.getKey(), new Side(published, "published"),
              new Side(file.getValue(), "rebuilt"))
          .map(why -> new Line(file.getKey(), false, why))
          .orElseGet(() -> new Line(file.getKey(), true, "same")));
    }
    return lines;
  }

  /**
   * Reads what a rebuild needs from the provenance in {@code releaseDir}, and checks that its spec is the one it names
   * by digest.
   */
  public static Recorded read(Path releaseDir) throws IOException {
    Path provenance = releaseDir.resolve(ProvenanceWriter.FILE_NAME);
    if (!Files.isRegularFile(provenance)) {
      throw new CannotRebuild("no " + ProvenanceWriter.FILE_NAME + " in " + releaseDir + "; a rebuild starts from"
          + " the release's provenance");
    }
    JsonNode predicate = JSON.readTree(provenance.toFile()).path("predicate");
    JsonNode definition = predicate.path("buildDefinition");
    JsonNode external = definition.path("externalParameters");
    JsonNode specNode = definition.path("internalParameters").path("spec");
    String commit = definition.path("resolvedDependencies").path(0).path("digest").path("gitCommit").asText(null);
    String repository = external.path("repository").asText(null);
    String tag = external.path("tag").asText(null);
    String specDigest = external.path("specDigest").asText("");
    if (repository == null || tag == null || commit == null || specNode.isMissingNode()) {
      throw new CannotRebuild(provenance + " lacks the repository, tag, commit or spec a rebuild needs; is it the"
          + " provenance of a durable-release release?");
    }
    ReleaseSpec spec;
    try {
      spec = JSON.treeToValue(specNode, ReleaseSpec.class);
    } catch (JsonProcessingException e) {
      throw new CannotRebuild("the spec in " + provenance + " cannot be read: " + e.getOriginalMessage());
    }
    String digest = "sha256:" + SpecLoader.digest(spec);
    if (!digest.equals(specDigest)) {
      throw new CannotRebuild("the spec in " + provenance + " digests to " + digest + " but the provenance names "
          + specDigest + ": the provenance was altered, or this engine reads its spec otherwise");
    }
    return new Recorded(repository, tag, commit, spec, strings(predicate.path("runDetails").path("builder")
        .path("version")), strings(definition.path("internalParameters").path("archives")));
  }

  /**
   * What differs between the engine and libraries that made the release and these, which rebuild it (this engine's
   * version is {@code engineVersion}): to be said before the lines.
   */
  public static List<String> warnings(Recorded recorded, String engineVersion) {
    Map<String, String> ours = new TreeMap<>(ArchiveSettings.libraries());
    ours.put(ProvenanceWriter.ENGINE, engineVersion);
    List<String> warnings = new ArrayList<>();
    ours.forEach((name, version) -> {
      String theirs = recorded.versions().get(name);
      if (theirs == null) {
        warnings.add("the provenance does not say which " + name + " made the release; this rebuild uses " + version);
      } else if (!theirs.equals(version)) {
        warnings.add("the release was made with " + name + " " + theirs + ", this rebuild uses " + version);
      }
    });
    Map<String, String> settings = ArchiveSettings.compression();
    if (recorded.archiveSettings().isEmpty()) {
      warnings.add("the provenance does not record the compression settings; this rebuild uses today's");
    } else if (!recorded.archiveSettings().equals(settings)) {
      settings.forEach((name, value) -> {
        if (!value.equals(recorded.archiveSettings().get(name))) {
          warnings.add("the release was compressed with " + name + " = " + recorded.archiveSettings().get(name)
              + ", this rebuild uses " + value);
        }
      });
    }
    if (!warnings.isEmpty()) {
      warnings.add("a difference below may come from that, not from the files");
    }
    return warnings;
  }

  /** What the version means under the spec's scheme, as the release's checkout read it. */
  private static VersionFacts versionFacts(ReleaseSpec spec) {
    try {
      return Versions.facts(spec);
    } catch (InvalidVersionException e) {
      throw new CannotRebuild("the version in the provenance's spec does not read under its scheme: " + e.getMessage());
    }
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> values = new TreeMap<>();
    object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
    return values;
  }
}
