package dev.durablerelease.sbom;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.archive.ArchiveReader;
import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.spec.ReleaseLevel;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.SbomSpec;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.cyclonedx.exception.GeneratorException;

/**
 * The {@code generateSbom} stage for one archive: takes every file's digests from the archive's file-digest index
 * (or reads the archive once, hashing every file), finds the vendored components (source archives only), and writes
 * one SBOM per configured format ({@code <archive>.spdx.json}, {@code <archive>.cdx.json}).
 */
public final class SbomGenerator {
  /** Formats as the spec names them. */
  public static final String SPDX = "spdx";
  public static final String CYCLONEDX = "cyclonedx";

  /**
   * What the documents say about the project.
   *
   * @param project project name
   * @param version version
   * @param supplier organisation, or null
   * @param license declared licence expression, or null
   * @param downloadUrl public folder of the release files (ends with '/'), or null
   * @param purl the project's package URL, or null
   * @param cpe the project's CPE 2.3 name, or null
   * @param commitTime epoch seconds; the documents' only timestamp
   * @param toolVersion our version, named in the creators
   * @param releaseLevel the version's release level ({@code rc}, {@code final}, …), or null without a scheme
   */
  public record Facts(String project, String version, String supplier, String license, String downloadUrl,
      String purl, String cpe, long commitTime, String toolVersion, String releaseLevel) {

    public Facts(String project, String version, String supplier, String license, String downloadUrl, String purl,
        String cpe, long commitTime, String toolVersion) {
      this(project, version, supplier, license, downloadUrl, purl, cpe, commitTime, toolVersion, null);
    }

    /** The documents name the version in its normal form (e.g. PEP 440's 3.14.0rc1), and say its level. */
    public static Facts of(ReleaseSpec spec, VersionFacts version, long commitTime, String toolVersion) {
      SbomSpec s = spec.sbom();
      return new Facts(spec.project(), version.normalized(), s.supplier(), s.license(), s.downloadUrl(), s.purl(),
          s.cpe(), commitTime, toolVersion, version.level());
    }

    public boolean prerelease() {
      return releaseLevel != null && ReleaseLevel.byId(releaseLevel).isPreRelease();
    }
  }

  /** One SBOM file. */
  public record SbomFile(String name, byte[] content) {}

  private SbomGenerator() {}

  /**
   * The SBOMs of an archive in the store, in the spec's format order. A source archive that buildSource indexed is
   * described from its {@link FileDigestIndex} (and the merge document from its own blob) without being read; any
   * other archive is read from the store and hashed.
   */
  public static List<SbomFile> generate(ArtifactRef archive, ArtifactStore store, SbomSpec spec, Facts facts)
      throws IOException {
    requireReadable(archive);
    if (archive.kind() == ArtifactKind.SOURCE_ARCHIVE) {
      Optional<List<FileDigest>> indexed = FileDigestIndex.find(store, archive.sha256());
      if (indexed.isPresent()) {
        Optional<Map<String, byte[]>> kept = mergeDocument(store, indexed.get(), spec.merge());
        if (kept.isPresent()) {
          return describe(archive, indexed.get(), kept.get(), spec, facts);
        }
      }
    }
    try (InputStream in = store.open(archive.sha256())) {
      return generate(archive, in, spec, facts);
    }
  }

  /** The SBOMs of one archive read from {@code content} (to its end), in the spec's format order. */
  public static List<SbomFile> generate(ArtifactRef archive, InputStream content, SbomSpec spec, Facts facts)
      throws IOException {
    requireReadable(archive);
    String mergePath = archive.kind() == ArtifactKind.SOURCE_ARCHIVE ? spec.merge() : null;
    // the merge document is tree-relative: in the archive it sits under the top folder
    ArchiveHasher.Result hashed = ArchiveHasher.hash(archive.name(), content, path -> mergePath != null
        && path.endsWith("/" + mergePath) && path.indexOf('/') == path.length() - mergePath.length() - 1);
    return describe(archive, hashed.files(), hashed.kept(), spec, facts);
  }

  private static void requireReadable(ArtifactRef archive) {
    if (!ArchiveReader.canRead(archive.name())) {
      throw new StageFailure(Failures.INVALID_SPEC, "cannot describe " + archive.name() + ": SBOMs are made for"
          + " .tar.gz, .tgz, .tar.xz and .zip archives; choose one of these formats");
    }
  }

  /**
   * The merge document of an indexed archive by its archive path: none when the spec names none or the archive has
   * no such file (which {@link VendoredComponents} reports); empty when its blob is not stored or too large to keep,
   * and the archive must be read instead.
   */
  private static Optional<Map<String, byte[]>> mergeDocument(ArtifactStore store, List<FileDigest> files,
      String merge) throws IOException {
    if (merge == null) {
      return Optional.of(Map.of());
    }
    String path = topFolder(files) + merge;
    Optional<FileDigest> doc = files.stream().filter(f -> f.path().equals(path)).findFirst();
    if (doc.isEmpty()) {
      return Optional.of(Map.of());
    }
    if (doc.get().size() > ArchiveHasher.MAX_KEPT || !store.contains(doc.get().sha256())) {
      return Optional.empty();
    }
    try (InputStream in = store.open(doc.get().sha256())) {
      return Optional.of(Map.of(path, in.readAllBytes()));
    }
  }

  private static List<SbomFile> describe(ArtifactRef archive, List<FileDigest> files, Map<String, byte[]> kept,
      SbomSpec spec, Facts facts) throws IOException {
    boolean source = archive.kind() == ArtifactKind.SOURCE_ARCHIVE;
    String top = topFolder(files);
    List<VendoredComponent> components = source
        ? VendoredComponents.resolve(archive.name(), top, files, spec, kept)
        : List.of();
    SbomContent described = SbomContent.of(facts, archive, source, files, components);
    // CycloneDX is written on another thread while SPDX is written here: each is a pass over every file
    CompletableFuture<byte[]> cyclonedx = spec.formats().contains(CYCLONEDX)
        ? CompletableFuture.supplyAsync(() -> cyclonedx(described))
        : null;
    List<SbomFile> sboms = new ArrayList<>();
    for (String format : spec.formats()) {
      switch (format) {
        case SPDX -> sboms.add(new SbomFile(archive.name() + ".spdx.json", SpdxWriter.write(described)));
        case CYCLONEDX -> sboms.add(new SbomFile(archive.name() + ".cdx.json", join(cyclonedx)));
        default -> throw new StageFailure(Failures.INVALID_SPEC, "unknown SBOM format " + format);
      }
    }
    return sboms;
  }

  private static byte[] cyclonedx(SbomContent described) {
    try {
      return CycloneDxWriter.write(described);
    } catch (GeneratorException e) {
      throw new IllegalStateException("cannot write the CycloneDX document of " + described.archive().name(), e);
    }
  }

  private static byte[] join(CompletableFuture<byte[]> write) {
    try {
      return write.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** The folder every file of the archive is in ({@code hello-1.0.0/}), or empty if there is none. */
  static String topFolder(List<FileDigest> files) {
    if (files.isEmpty() || files.get(0).path().indexOf('/') < 0) {
      return "";
    }
    String top = files.get(0).path().substring(0, files.get(0).path().indexOf('/') + 1);
    return files.stream().allMatch(f -> f.path().startsWith(top)) ? top : "";
  }
}
