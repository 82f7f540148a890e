package dev.durablerelease.bench;

import dev.durablerelease.archive.ArchiveEntry;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.archive.ExcludeRules;
import dev.durablerelease.archive.GitTreeEntries;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Our archive step (tar.gz + tar.xz from git objects, one pass) against {@code git archive | gzip -n -9} plus
 * {@code git archive | xz -6}, alternating, median of each. Usage: ArchivesBench GIT_DIR REF RUNS OUT_DIR
 */
public final class ArchivesBench {
  private ArchivesBench() {}

  public static void main(String[] args) throws Exception {
    Path gitDir = Path.of(args[0]);
    String ref = args[1];
    int runs = Integer.parseInt(args[2]);
    Path out = Files.createDirectories(Path.of(args[3]));
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
        RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(repo.resolve(ref + "^{commit}"));
      GitTreeEntries.Rules rules = new GitTreeEntries.Rules(new ExcludeRules(List.of()), Long.MAX_VALUE, null);
      Runnable ours = () -> {
        try {
          List<ArchiveEntry> entries = GitTreeEntries.list(repo, commit.name(), "bench", rules);
          ArchiveWriter.write(entries, commit.getCommitTime(), Map.of(
              "tar.gz", out.resolve("ours.tar.gz"), "tar.xz", out.resolve("ours.tar.xz")));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      String archive = "git --git-dir='" + gitDir + "' archive --format=tar --prefix=bench/ " + commit.name();
      Runnable pipeline = () -> {
        sh(archive + " | gzip -n -9 > '" + out.resolve("pipeline.tar.gz") + "'");
        sh(archive + " | xz -6 > '" + out.resolve("pipeline.tar.xz") + "'");
      };
      ours.run(); // warm-up: JIT and page cache
      pipeline.run();
      List<Double> oursTimes = new ArrayList<>();
      List<Double> pipelineTimes = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long cpu = processCpuNanos();
        oursTimes.add(time(ours));
        double oursCpu = (processCpuNanos() - cpu) / 1e9;
        double childrenCpu = CHILD_CPU[0];
        pipelineTimes.add(time(pipeline));
        System.out.printf(Locale.ROOT, "run %d: ours %.2f s (cpu %.2f s), pipeline %.2f s (cpu %.2f s)%n", i + 1,
            oursTimes.get(i), oursCpu, pipelineTimes.get(i), CHILD_CPU[0] - childrenCpu);
      }
      double oursMedian = median(oursTimes);
      double pipelineMedian = median(pipelineTimes);
      System.out.printf(Locale.ROOT, "files: %d, commit %s%n", countFiles(repo, commit), commit.name());
      System.out.printf(Locale.ROOT, "median: ours %.2f s, pipeline %.2f s%n", oursMedian, pipelineMedian);
      for (String format : List.of("tar.gz", "tar.xz")) {
        long ourSize = Files.size(out.resolve("ours." + format));
        long theirSize = Files.size(out.resolve("pipeline." + format));
        System.out.printf(Locale.ROOT, "%s: ours %d bytes, pipeline %d bytes (%+.2f%%)%n", format, ourSize, theirSize,
            100.0 * (ourSize - theirSize) / theirSize);
      }
      System.out.printf(Locale.ROOT, "archives ratio: %.2f%n", oursMedian / pipelineMedian);
    }
  }

  private static long countFiles(Repository repo, RevCommit commit) throws Exception {
    try (org.eclipse.jgit.treewalk.TreeWalk tw = new org.eclipse.jgit.treewalk.TreeWalk(repo)) {
      tw.addTree(commit.getTree());
      tw.setRecursive(true);
      long n = 0;
      while (tw.next()) {
        n++;
      }
      return n;
    }
  }

  /** CPU seconds (user + system) of the pipelines' processes so far, as bash's time reports them. */
  private static final double[] CHILD_CPU = {0};

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double time(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void sh(String command) {
    try {
      Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; TIMEFORMAT='%U %S'; time (" + command + ")")
          .redirectError(ProcessBuilder.Redirect.PIPE).redirectOutput(new File("/dev/null")).start();
      String[] err = new String(p.getErrorStream().readAllBytes()).trim().split("\\s+");
      if (p.waitFor() != 0) {
        throw new IllegalStateException(command + " failed: " + String.join(" ", err));
      }
      CHILD_CPU[0] += Double.parseDouble(err[err.length - 2]) + Double.parseDouble(err[err.length - 1]);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
