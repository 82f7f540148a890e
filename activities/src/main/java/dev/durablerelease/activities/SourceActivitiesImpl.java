package dev.durablerelease.activities;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.Manifest;
import dev.durablerelease.activity.ManifestInput;
import dev.durablerelease.activity.Provenance;
import dev.durablerelease.activity.ProvenanceInput;
import dev.durablerelease.activity.Rebuild;
import dev.durablerelease.activity.RebuildInput;
import dev.durablerelease.activity.SbomInput;
import dev.durablerelease.activity.Sboms;
import dev.durablerelease.activity.SourceActivities;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.archive.ArchiveEntry;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.archive.Archiver;
import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.archive.SourceTree;
import dev.durablerelease.config.ConfigException;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.git.DeclaredSubmodules;
import dev.durablerelease.git.FetchMonitor;
import dev.durablerelease.git.GitCache;
import dev.durablerelease.git.TagSignatures;
import dev.durablerelease.manifest.ManifestWriter;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.policy.ProjectPolicy;
import dev.durablerelease.manifest.UniqueNames;
import dev.durablerelease.provenance.ProvenanceWriter;
import dev.durablerelease.rebuild.FileComparison;
import dev.durablerelease.rebuild.SourceRebuild;
import dev.durablerelease.sbom.FileDigestIndex;
import dev.durablerelease.sbom.SbomGenerator;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.SourceSpec;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.version.InvalidVersionException;
import dev.durablerelease.version.Versions;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.FileUtils;

/**
 * Checkout, archives, SBOMs and manifest: the stages on the {@code release-source} queue; and the second builder's
 * {@code rebuildSource} on {@code release-source-2}.
 */
public class SourceActivitiesImpl implements SourceActivities {
  private final WorkerContext context;
  private final ArtifactStore store;
  private final GitCache git;
  private final Archiver archiver;

  public SourceActivitiesImpl(WorkerContext context) {
    this(context, ArchiveWriter::write);
  }

  /** A source worker whose archives are written by {@code archiver} (tests: a builder that writes other bytes). */
  public SourceActivitiesImpl(WorkerContext context, Archiver archiver) {
    this.context = context;
    this.store = context.store();
    this.git = new GitCache(context.workDir().resolve("git"));
    this.archiver = archiver;
  }

  @Override
  public Checkout checkout(CheckoutInput input) {
    FetchMonitor fetches = new FetchMonitor();
    return StageActivity.run(context, StageActivity.alive(fetches::snapshot, stage -> {
      String repository = input.repository();
      if (!repository.contains("://") && !repository.contains("@") && !Path.of(repository).isAbsolute()) {
        throw new StageFailure(Failures.INVALID_SPEC, "repository \"" + repository + "\" is a relative path;"
            + " workers need an absolute path or a URL");
      }
      // nothing is fetched from a repository the operator's policy does not name
      Policy policy = context.policy();
      if (input.spec() != null) {
        policy.requireRepository(input.spec().project(), repository);
      } else {
        policy.requireSomeProjectAllows(repository);
      }
      GitCache.ResolvedTag tag = git.fetchTag(repository, input.tag(), fetches);
      // what the fetch received, also when it ended between two heartbeats
      Activity.getExecutionContext().heartbeat(fetches.snapshot());
      requireExpectedCommit(input.tag(), tag.commit(), input.expectedCommit(), "the workflow input");
      ReleaseSpec spec = input.spec() != null ? normalize(input.spec()) : specFromCommit(input, tag, fetches);
      policy.requireRepository(spec.project(), repository);
      ProjectPolicy project = policy.project(spec.project());
      try (Repository repo = git.open(repository, tag.tag(), tag.commit(), fetches)) {
        if (project.tagSignature() != null && project.tagSignature().enforced()) {
          TagSignatures.verify(repo, tag, project.tagSignature());
        }
        if (spec.source().includeSubmodules()) {
          for (DeclaredSubmodules.Submodule submodule : DeclaredSubmodules.of(repo, tag.commit())) {
            policy.requireSubmodule(spec.project(), submodule.path(), GitCache.resolveUrl(repository,
                submodule.url()));
          }
        }
      }
      return new Checkout(repository, tag.tag(), tag.commit(), tag.tree(), tag.commitTime(), spec,
          SpecLoader.digest(spec), input.resume(), stage.finished(), versionFacts(spec));
    }));
  }

  @Override
  public Archives buildSource(Checkout checkout) {
    FetchMonitor fetches = new FetchMonitor(); // a worker other than checkout's fetches the commit itself
    return StageActivity.reusable(context, "buildSource", checkout, checkout.resume(), Archives.class,
        StageActivity.alive(fetches::snapshot, stage -> {
      SourceSpec source = checkout.spec().source();
      List<ArtifactRef> archives = new ArrayList<>();
      Map<String, Path> files = new LinkedHashMap<>(); // by format, in the spec's order
      try (SourceTree tree = SourceTree.open(git, checkout.repository(), checkout.tag(), checkout.commit(), source,
          submoduleGate(checkout), fetches)) {
        for (String format : source.formats()) {
          files.put(format, StoredFiles.scratchFile(context, source.name() + "." + format));
        }
        List<FileDigest> digests = archiver.write(tree.entries(), checkout.commitTime(), files);
        for (Map.Entry<String, Path> file : files.entrySet()) {
          archives.add(store.put(file.getValue(), source.name() + "." + file.getKey(), ArtifactKind.SOURCE_ARCHIVE));
        }
        storeFileDigests(checkout.spec(), tree.entries(), digests, archives);
        return new Archives(archives, tree.fileCount(), stage.finished());
      } finally {
        for (Path file : files.values()) {
          Files.deleteIfExists(file);
        }
      }
    }));
  }

  @Override
  public Rebuild rebuildSource(RebuildInput input) {
    FetchMonitor fetches = new FetchMonitor(); // this builder fetches the commit with its own git cache
    return StageActivity.run(context, StageActivity.alive(fetches::snapshot, stage -> {
      Checkout checkout = input.checkout();
      // this builder fetches with its own credentials: only from where the operator lets the project come from
      context.policy().requireRepository(checkout.spec().project(), checkout.repository());
      Path dir = StoredFiles.scratchFolder(context, "rebuild");
      try {
        SourceRebuild.Made made = SourceRebuild.build(new SourceRebuild.Origin(checkout.repository(), checkout.tag(),
            checkout.commit(), checkout.commitTime(), checkout.spec(), checkout.facts(), EngineVersion.get()), git, dir,
            archiver, submoduleGate(checkout), fetches);
        // blobs only, keyed by their digest and checked on every read: nothing the first builder's stages read
        List<ArtifactRef> archives = new ArrayList<>();
        for (Map.Entry<String, Path> file : made.archives().entrySet()) {
          archives.add(store.put(file.getValue(), file.getKey(), ArtifactKind.SOURCE_ARCHIVE));
        }
        List<ArtifactRef> sboms = new ArrayList<>();
        for (Map.Entry<String, Path> file : made.sboms().entrySet()) {
          sboms.add(store.put(file.getValue(), file.getKey(), ArtifactKind.SBOM));
        }
        List<ArtifactRef> theirs = new ArrayList<>(input.archives());
        theirs.addAll(input.sboms());
        return new Rebuild(archives, sboms, differences(theirs, made.all(), dir), stage.finished());
      } finally {
        FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
      }
    }));
  }

  /** For each of the first builder's files that this builder made otherwise, its first differing entry. */
  private Map<String, String> differences(List<ArtifactRef> first, Map<String, Path> made, Path dir)
      throws IOException {
    Map<String, String> differences = new LinkedHashMap<>();
    for (ArtifactRef theirs : first) {
      Path ours = made.get(theirs.name());
      if (ours == null || Digests.sha256Hex(ours).equals(theirs.sha256())) {
        continue;
      }
      Path copy = dir.resolve("first-builder").resolve(theirs.name());
      store.copyTo(theirs, copy);
      FileComparison.firstDifference(theirs.name(), new FileComparison.Side(copy, "first builder"),
          new FileComparison.Side(ours, "second builder")).ifPresent(why -> differences.put(theirs.name(), why));
    }
    return differences;
  }

  /** Submodules are fetched only from URLs the operator's policy allows the project. */
  private SourceTree.SubmoduleGate submoduleGate(Checkout checkout) {
    return (path, url) -> context.policy().requireSubmodule(checkout.spec().project(), path, url);
  }

  /**
   * Leaves generateSbom what it needs to describe the archives without reading them: the digests of their files and,
   * as a blob of its own (found by its digest in the index), the SPDX document the spec merges.
   */
  private void storeFileDigests(ReleaseSpec spec, List<ArchiveEntry> entries, List<FileDigest> digests,
      List<ArtifactRef> archives) throws IOException {
    String merge = spec.sbom().merge() == null ? null : spec.source().name() + "/" + spec.sbom().merge();
    for (ArchiveEntry entry : entries) {
      if (entry.isRegularFile() && entry.path().equals(merge)) {
        Path doc = StoredFiles.scratchFile(context, "merge.spdx.json");
        try {
          try (InputStream in = entry.content().open()) {
            Files.copy(in, doc, StandardCopyOption.REPLACE_EXISTING);
          }
          store.put(doc, spec.sbom().merge(), ArtifactKind.SBOM);
        } finally {
          Files.deleteIfExists(doc);
        }
      }
    }
    // last: an archive with an index record has everything generateSbom looks for
    FileDigestIndex.save(store, StoredFiles.scratchFile(context, "files.jsonl"), digests, archives);
  }

  @Override
  public Sboms generateSbom(SbomInput input) {
    return StageActivity.reusable(context, "generateSbom", input, input.checkout().resume(), Sboms.class,
        StageActivity.alive(stage -> {
      ReleaseSpec spec = input.checkout().spec();
      SbomGenerator.Facts facts = SbomGenerator.Facts.of(spec, input.checkout().facts(), input.checkout().commitTime(),
          EngineVersion.get());
      List<ArtifactRef> sboms = new ArrayList<>();
      for (ArtifactRef archive : input.archives()) {
        for (SbomGenerator.SbomFile sbom : SbomGenerator.generate(archive, store, spec.sbom(), facts)) {
          sboms.add(StoredFiles.put(context, sbom.name(), sbom.content(), ArtifactKind.SBOM));
        }
      }
      return new Sboms(sboms, stage.finished());
    }));
  }

  @Override
  public Provenance provenance(ProvenanceInput input) {
    // keyed by what it vouches for, not by the run's checklist: a resumed release that rebuilt nothing reuses the
    // statement (and so the bundles and manifest) it may already have published
    Object vouchesFor = List.of(input.checkout(), input.subjects());
    boolean resume = input.checkout().resume();
    return StageActivity.reusable(context, "provenance", vouchesFor, resume, Provenance.class,
        StageActivity.alive(stage -> {
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      byte[] statement = ProvenanceWriter.statement(input, context.identity(), EngineVersion.get(),
          info.getWorkflowId(), info.getRunId(), Instant.now());
      ArtifactRef ref = StoredFiles.put(context, ProvenanceWriter.FILE_NAME, statement, ArtifactKind.PROVENANCE);
      return new Provenance(ref, stage.finished());
    }));
  }

  @Override
  public Manifest writeManifest(ManifestInput input) {
    Object describes = List.of(input.checkout(), input.artifacts(), input.logs(), input.targets());
    boolean resume = input.checkout().resume();
    return StageActivity.reusable(context, "writeManifest", describes, resume, Manifest.class,
        StageActivity.alive(stage -> {
      requireUniqueNames(input.artifacts());
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      ArtifactRef releaseJson = StoredFiles.put(context, ManifestWriter.RELEASE_JSON,
          ManifestWriter.releaseJson(input, info.getWorkflowId(), info.getRunId()), ArtifactKind.MANIFEST);
      ArtifactRef sums = StoredFiles.put(context, ManifestWriter.SHA256SUMS,
          ManifestWriter.sha256sums(input.artifacts()), ArtifactKind.CHECKSUMS);
      return new Manifest(releaseJson, sums, stage.finished());
    }));
  }

  /**
   * Every file is published under its name, beside release.json and SHA256SUMS: names the spec check could not see
   * colliding (the stages made them) block the release here, before anything is staged anywhere.
   */
  private static void requireUniqueNames(List<ArtifactRef> artifacts) {
    List<ArtifactRef> named = new ArrayList<>(artifacts);
    named.add(new ArtifactRef(ManifestWriter.RELEASE_JSON, ArtifactKind.MANIFEST, "(this manifest)", 0));
    named.add(new ArtifactRef(ManifestWriter.SHA256SUMS, ArtifactKind.CHECKSUMS, "(this manifest)", 0));
    List<String> duplicates = UniqueNames.duplicates(named);
    if (!duplicates.isEmpty()) {
      throw new StageFailure(Failures.PUBLISH_CONFLICT, "two files of this release have one name: "
          + String.join("; ", duplicates) + ". Each would overwrite the other when published, so nothing was staged;"
          + " give them different names (for docs.outputs, folders with different last names)");
    }
  }

  private ReleaseSpec specFromCommit(CheckoutInput input, GitCache.ResolvedTag tag, FetchMonitor fetches)
      throws IOException {
    String origin = SpecLoader.FILE_NAME + " at " + input.tag();
    String yaml;
    try (Repository repo = git.open(input.repository(), input.tag(), tag.commit(), fetches)) {
      yaml = GitCache.readFile(repo, tag.commit(), SpecLoader.FILE_NAME).orElseThrow(() -> new StageFailure(
          Failures.INVALID_SPEC, "the workflow input has no spec and " + input.tag() + " has no "
              + SpecLoader.FILE_NAME + "; commit one or start the release with --spec"));
    }
    ReleaseSpec spec;
    try {
      spec = SpecLoader.load(yaml, origin, new SpecLoader.Overrides(input.repository(), input.version()));
    } catch (ConfigException e) {
      throw new StageFailure(Failures.INVALID_SPEC, e.getMessage());
    }
    if (!spec.tag().equals(input.tag())) {
      throw new StageFailure(Failures.INVALID_SPEC, origin + " says tag " + spec.tag() + " but the release was"
          + " started for tag " + input.tag() + "; pass \"tag\": \"" + spec.tag() + "\" in the input or fix the spec");
    }
    requireExpectedCommit(input.tag(), tag.commit(), spec.expectedCommit(), origin);
    return spec;
  }

  /** What the version means, parsed here: the workflow holds no parser and only reads it. */
  private static VersionFacts versionFacts(ReleaseSpec spec) {
    try {
      return Versions.facts(spec);
    } catch (InvalidVersionException e) { // the spec was validated: only a hand-made workflow input gets here
      throw new StageFailure(Failures.INVALID_SPEC, e.getMessage());
    }
  }

  private static ReleaseSpec normalize(ReleaseSpec spec) {
    try {
      return SpecLoader.normalize(spec, "workflow input");
    } catch (ConfigException e) {
      throw new StageFailure(Failures.INVALID_SPEC, e.getMessage());
    }
  }

  private static void requireExpectedCommit(String tag, String actual, String expected, String where) {
    if (expected != null && !expected.equals(actual)) {
      throw new StageFailure(Failures.COMMIT_MISMATCH, "tag " + tag + " resolves to " + actual
          + " but expectedCommit in " + where + " is " + expected + "; re-tag the reviewed commit or fix expectedCommit");
    }
  }

}
