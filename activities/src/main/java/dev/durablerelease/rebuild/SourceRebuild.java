package dev.durablerelease.rebuild;

import dev.durablerelease.archive.Archiver;
import dev.durablerelease.archive.SourceTree;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.git.FetchMonitor;
import dev.durablerelease.git.GitCache;
import dev.durablerelease.sbom.SbomGenerator;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.store.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source archives of a commit and their SBOMs, made again in a folder, apart from the artifact store: what the
 * second builder, {@code release verify --rebuild} and the pinned-digest test make. The SBOMs are made by reading the
 * archives just written, not from buildSource's file-digest index: another path to the same bytes.
 */
public final class SourceRebuild {
  /**
   * What decides the files besides this engine's code and libraries.
   *
   * @param repository where the source comes from
   * @param tag the tag released
   * @param commit the commit it resolved to
   * @param commitTime its commit time (epoch seconds): every time in the files
   * @param spec the spec the release ran with
   * @param version what its version means under the spec's scheme (the SBOMs name its normal form and level)
   * @param engineVersion the engine version the SBOMs name as their tool
   */
  public record Origin(String repository, String tag, String commit, long commitTime, ReleaseSpec spec,
      VersionFacts version, String engineVersion) {}

  /**
   * The files made, by name.
   *
   * @param archives the archives, in the spec's order
   * @param sboms their SBOMs, each archive's in the spec's format order
   */
  public record Made(Map<String, Path> archives, Map<String, Path> sboms) {
    /** Archives first, then SBOMs. */
    public Map<String, Path> all() {
      Map<String, Path> all = new LinkedHashMap<>(archives);
      all.putAll(sboms);
      return all;
    }
  }

  private SourceRebuild() {}

  /** Writes the archives and their SBOMs into {@code dir}; {@code fetches} hears how the fetches go. */
  public static Made build(Origin origin, GitCache git, Path dir, Archiver archiver, SourceTree.SubmoduleGate gate,
      FetchMonitor fetches) throws IOException {
    ReleaseSpec spec = origin.spec();
    Map<String, Path> archives = new LinkedHashMap<>();
    for (String format : spec.source().formats()) {
      archives.put(format, dir.resolve(spec.source().name() + "." + format));
    }
    try (SourceTree tree = SourceTree.open(git, origin.repository(), origin.tag(), origin.commit(), spec.source(),
        gate, fetches)) {
      archiver.write(tree.entries(), origin.commitTime(), archives);
    }
    Map<String, Path> byName = new LinkedHashMap<>();
    archives.values().forEach(file -> byName.put(file.getFileName().toString(), file));
    Map<String, Path> sboms = new LinkedHashMap<>();
    SbomGenerator.Facts facts = SbomGenerator.Facts.of(spec, origin.version(), origin.commitTime(),
        origin.engineVersion());
    for (Path archive : archives.values()) {
      ArtifactRef ref = new ArtifactRef(archive.getFileName().toString(), ArtifactKind.SOURCE_ARCHIVE,
          Digests.sha256Hex(archive), Files.size(archive));
      try (InputStream in = Files.newInputStream(archive)) {
        for (SbomGenerator.SbomFile sbom : SbomGenerator.generate(ref, in, spec.sbom(), facts)) {
          sboms.put(sbom.name(), Files.write(dir.resolve(sbom.name()), sbom.content()));
        }
      }
    }
    return new Made(byName, sboms);
  }
}
