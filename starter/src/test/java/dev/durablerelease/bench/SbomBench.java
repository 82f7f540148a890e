package dev.durablerelease.bench;

import dev.durablerelease.activities.EngineVersion;
import dev.durablerelease.archive.ArchiveEntry;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.archive.ExcludeRules;
import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.archive.GitTreeEntries;
import dev.durablerelease.sbom.FileDigestIndex;
import dev.durablerelease.sbom.SbomGenerator;
import dev.durablerelease.spec.SbomSpec;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.store.LocalArtifactStore;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The generateSbom stage as a release runs it, for one archive (file digests from the index buildSource left, SPDX and
 * CycloneDX written to disk), against {@code git ls-files -z | xargs -0 sha256sum} over the same tree checked out.
 * Also times the stage without the index (reading, decompressing and hashing the archive, as for an archive of an
 * earlier engine), and what taking the digests adds to buildSource: the tar.gz written with them against the same
 * archive written without, and the hashing alone. Runs alternate, after one warm-up of each; medians are compared.
 * Target: ratio at most 1.0.
 *
 * <p>Usage: {@code SbomBench REPO REF WORKDIR [RUNS]} (bench/sbom.sh makes and removes WORKDIR).
 */
public final class SbomBench {
  private SbomBench() {}

  public static void main(String[] args) throws Exception {
    String repository = args[0];
    String ref = args[1];
    Path work = Path.of(args[2]);
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 21;
    int buildRuns = Math.min(runs, 5); // a whole tar.gz -9 each: seconds

    Path tree = work.resolve("tree");
    run(work, "git", "clone", "--quiet", "--no-checkout", repository, tree.toString());
    run(tree, "git", "-c", "advice.detachedHead=false", "checkout", "--quiet", ref);
    String commit = run(tree, "git", "rev-parse", "HEAD").trim();
    long commitTime = Long.parseLong(run(tree, "git", "log", "-1", "--format=%ct", "HEAD").trim());
    String name = "bench-" + ref.replaceAll("[^A-Za-z0-9._-]", "_");
    // a submodule is left out (the baseline cannot hash it either)
    List<String> submodules = run(tree, "git", "ls-files", "-s").lines().filter(l -> l.startsWith("160000 "))
        .map(l -> "/" + l.substring(l.indexOf('\t') + 1)).toList();
    List<ArchiveEntry> entries;
    try (Repository repo = new FileRepositoryBuilder().setGitDir(tree.resolve(".git").toFile()).build()) {
      entries = GitTreeEntries.list(repo, commit, name,
          new GitTreeEntries.Rules(new ExcludeRules(submodules), Long.MAX_VALUE, null));
    }

    // buildSource's tar.gz, written as releases write it: the digests of every file taken as its bytes pass
    Path archive = work.resolve(name + ".tar.gz");
    List<Long> writes = new ArrayList<>();
    List<Long> writesCpu = new ArrayList<>(); // CPU time: less swayed than wall time by other work on the machine
    List<FileDigest> digests = List.of();
    for (int i = 0; i <= buildRuns; i++) {
      long start = System.nanoTime();
      long cpu = processCpuNanos();
      digests = ArchiveWriter.write(entries, commitTime, Map.of(ArchiveWriter.TAR_GZ, archive));
      if (i > 0) {
        writes.add(System.nanoTime() - start);
        writesCpu.add(processCpuNanos() - cpu);
      }
    }
    long hashingAlone = hashingAlone(entries, buildRuns);

    // stored as buildSource stores it: the archive, and the index of its files
    ArtifactStore store = new LocalArtifactStore(work.resolve("store"));
    ArtifactRef artifact = store.put(archive, archive.getFileName().toString(), ArtifactKind.SOURCE_ARCHIVE);
    List<Long> saves = new ArrayList<>();
    for (int i = 0; i <= buildRuns; i++) {
      long start = System.nanoTime();
      FileDigestIndex.save(store, work.resolve("files.jsonl"), digests, List.of(artifact));
      saves.add(System.nanoTime() - start);
    }
    long firstSave = saves.remove(0);
    SbomSpec spec = new SbomSpec(List.of(SbomGenerator.SPDX, SbomGenerator.CYCLONEDX), "Bench", null, List.of(),
        null, null, null, null);
    SbomGenerator.Facts facts = new SbomGenerator.Facts(name, ref, "Bench", null, null, null, null, commitTime,
        EngineVersion.get());
    System.out.printf(Locale.ROOT, "%s at %s: %d files, %.1f MB, archive %.1f MB, %d threads%n", repository, ref,
        digests.size(), digests.stream().mapToLong(FileDigest::size).sum() / 1e6, Files.size(archive) / 1e6,
        Runtime.getRuntime().availableProcessors());

    List<Long> indexed = new ArrayList<>();
    List<Long> reading = new ArrayList<>();
    List<Long> baseline = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long start = System.nanoTime();
      write(work, SbomGenerator.generate(artifact, store, spec, facts));
      long indexNanos = System.nanoTime() - start;
      start = System.nanoTime();
      try (InputStream in = Files.newInputStream(archive)) {
        write(work, SbomGenerator.generate(artifact, in, spec, facts));
      }
      long readNanos = System.nanoTime() - start;
      start = System.nanoTime();
      // a submodule is a folder in the tree, which sha256sum refuses: its complaint is not a failure of the baseline
      run(tree, "sh", "-c", "git ls-files -z | xargs -0 sha256sum > /dev/null 2>&1 || true");
      long shaNanos = System.nanoTime() - start;
      if (i > 0) { // the first round warms the JIT and the page cache
        indexed.add(indexNanos);
        reading.add(readNanos);
        baseline.add(shaNanos);
      }
    }
    double oursMs = median(indexed) / 1e6;
    double baselineMs = median(baseline) / 1e6;
    System.out.printf(Locale.ROOT, "buildSource tar.gz with digests: median %.0f ms (CPU %.0f ms) over %d runs%n",
        median(writes) / 1e6, median(writesCpu) / 1e6, buildRuns);
    System.out.printf(Locale.ROOT, "buildSource digests added: SHA-1 + SHA-256 of every file, one thread: %.0f ms%n",
        hashingAlone / 1e6);
    System.out.printf(Locale.ROOT, "buildSource storing the index: median %.0f ms over %d runs, first %.0f ms%n",
        median(saves) / 1e6, buildRuns, firstSave / 1e6);
    System.out.printf(Locale.ROOT, "generateSbom without index (reads the archive): median %.0f ms over %d runs%n",
        median(reading) / 1e6, runs);
    System.out.printf(Locale.ROOT, "generateSbom (SPDX + CycloneDX, index): median %.0f ms over %d runs%n", oursMs,
        runs);
    System.out.printf(Locale.ROOT, "git ls-files | xargs sha256sum:         median %.0f ms over %d runs%n", baselineMs,
        runs);
    System.out.printf(Locale.ROOT, "sbom ratio: %.2f%n", oursMs / baselineMs);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void write(Path dir, List<SbomGenerator.SbomFile> sboms) throws IOException {
    for (SbomGenerator.SbomFile sbom : sboms) {
      Files.write(dir.resolve(sbom.name()), sbom.content());
    }
  }

  /** Median time of what the digests add to the writer's thread: SHA-1 and SHA-256 over every file, in memory. */
  private static long hashingAlone(List<ArchiveEntry> entries, int runs) throws IOException {
    List<byte[]> contents = new ArrayList<>();
    for (ArchiveEntry entry : entries) {
      if (entry.isRegularFile()) {
        try (InputStream in = entry.content().open()) {
          contents.add(in.readAllBytes());
        }
      }
    }
    List<Long> times = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long start = System.nanoTime();
      for (byte[] content : contents) {
        MessageDigest sha1 = Digests.sha1();
        MessageDigest sha256 = Digests.sha256();
        sha1.update(content);
        sha256.update(content);
        Digests.hex(sha1.digest());
        Digests.hex(sha256.digest());
      }
      if (i > 0) {
        times.add(System.nanoTime() - start);
      }
    }
    return median(times);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed in " + dir + ":\n" + out);
    }
    return out;
  }
}
