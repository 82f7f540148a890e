package dev.durablerelease.bench;

import dev.durablerelease.activities.EngineVersion;
import dev.durablerelease.sbom.SbomGenerator;
import dev.durablerelease.spec.SbomSpec;
import dev.durablerelease.store.Digests;
import dev.durablerelease.workflow.ArtifactKind;
import dev.durablerelease.workflow.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The generateSbom stage's work for one archive (read, decompress, SHA-1 + SHA-256 of every file, SPDX and CycloneDX
 * written to disk) against {@code git ls-files -z | xargs -0 sha256sum} over the same tree checked out. Runs
 * alternate, after one warm-up of each, and the medians are compared. Target: ratio at most 1.0.
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

    Path tree = work.resolve("tree");
    run(work, "git", "clone", "--quiet", "--no-checkout", repository, tree.toString());
    run(tree, "git", "-c", "advice.detachedHead=false", "checkout", "--quiet", ref);
    long commitTime = Long.parseLong(run(tree, "git", "log", "-1", "--format=%ct", "HEAD").trim());
    String name = "bench-" + ref.replaceAll("[^A-Za-z0-9._-]", "_");
    Path archive = work.resolve(name + ".tar.gz");
    run(tree, "git", "archive", "--format=tar.gz", "--prefix=" + name + "/", "-o", archive.toString(), "HEAD");
    ArtifactRef artifact = new ArtifactRef(archive.getFileName().toString(), ArtifactKind.SOURCE_ARCHIVE,
        Digests.sha256Hex(archive), Files.size(archive));
    SbomSpec spec = new SbomSpec(List.of(SbomGenerator.SPDX, SbomGenerator.CYCLONEDX), "Bench", null, List.of(),
        null, null, null, null);
    SbomGenerator.Facts facts = new SbomGenerator.Facts(name, ref, "Bench", null, null, null, null, commitTime,
        EngineVersion.get());
    long files = run(tree, "git", "ls-files").lines().count();
    System.out.printf("%s at %s: %d files, archive %.1f MB, %d threads%n", repository, ref, files,
        Files.size(archive) / 1e6, Runtime.getRuntime().availableProcessors());

    List<Long> ours = new ArrayList<>();
    List<Long> baseline = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long start = System.nanoTime();
      try (InputStream in = Files.newInputStream(archive)) {
        for (SbomGenerator.SbomFile sbom : SbomGenerator.generate(artifact, in, spec, facts)) {
          Files.write(work.resolve(sbom.name()), sbom.content());
        }
      }
      long sbomNanos = System.nanoTime() - start;
      start = System.nanoTime();
      // a submodule is a folder in the tree, which sha256sum refuses: its complaint is not a failure of the baseline
      run(tree, "sh", "-c", "git ls-files -z | xargs -0 sha256sum > /dev/null 2>&1 || true");
      long shaNanos = System.nanoTime() - start;
      if (i > 0) { // the first pair warms the JIT and the page cache
        ours.add(sbomNanos);
        baseline.add(shaNanos);
      }
    }
    double oursMs = median(ours) / 1e6;
    double baselineMs = median(baseline) / 1e6;
    System.out.printf("generateSbom (SPDX + CycloneDX): median %.0f ms over %d runs%n", oursMs, runs);
    System.out.printf("git ls-files | xargs sha256sum:  median %.0f ms over %d runs%n", baselineMs, runs);
    System.out.printf("sbom ratio: %.2f%n", oursMs / baselineMs);
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
