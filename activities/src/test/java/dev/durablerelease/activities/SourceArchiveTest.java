package dev.durablerelease.activities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.StageHarness;
import dev.durablerelease.workflow.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceArchiveTest {
  @TempDir
  Path tmp;

  private Path buildArchive(Path repoDir, Path workerDir) throws Exception {
    try (SampleRepository repo = SampleRepository.create(repoDir);
        StageHarness stages = new StageHarness(workerDir)) {
      Checkout checkout = stages.source().checkout(
          new CheckoutInput(repo.url(), SampleRepository.VERSION, SampleRepository.TAG, null, null, false));
      Archives archives = stages.source().buildSource(checkout);
      ArtifactRef archive = archives.primary();
      Path file = workerDir.resolve(archive.name());
      stages.context().store().copyTo(archive, file);
      return file;
    }
  }

  @Test
  void twoBuildsInDifferentFoldersAndTimesAreByteIdentical() throws Exception {
    Path first = buildArchive(tmp.resolve("a/hello"), tmp.resolve("a/worker"));
    Thread.sleep(1100); // a different checkout time must not leak into the archive
    Path second = buildArchive(tmp.resolve("b/clone-of-hello"), tmp.resolve("b/worker"));
    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
  }

  @Test
  void gnuTarSeesNormalisedOwnersModesAndTimes() throws Exception {
    Path archive = buildArchive(tmp.resolve("hello"), tmp.resolve("worker"));
    Process tar = new ProcessBuilder("tar", "--numeric-owner", "--utc", "-tvzf", archive.toString())
        .redirectErrorStream(true).start();
    List<String> lines = new String(tar.getInputStream().readAllBytes()).lines().toList();
    assertThat(tar.waitFor()).isZero();
    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).contains(" 0/0 ").contains("2026-11-01 12:00"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("drwxr-xr-x").endsWith(" hello-1.0.0/"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("-rwxr-xr-x").endsWith(" hello-1.0.0/tests/run-tests.sh"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("-rw-r--r--").endsWith(" hello-1.0.0/src/hello.c"));
    assertThat(lines).filteredOn(l -> l.endsWith(" hello-1.0.0/")).hasSize(1);
  }

  @Test
  void gzipHeaderHasNoNameAndNoTime() throws Exception {
    byte[] bytes = Files.readAllBytes(buildArchive(tmp.resolve("hello"), tmp.resolve("worker")));
    assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
    assertThat(bytes[3] & 0x08).as("FNAME flag").isZero();
    assertThat(new byte[] {bytes[4], bytes[5], bytes[6], bytes[7]}).as("MTIME").containsOnly(0);
    Process gzip = new ProcessBuilder("gzip", "-t", tmp.resolve("worker/hello-1.0.0.tar.gz").toString()).start();
    assertThat(gzip.waitFor()).isZero();
  }

  @Test
  void filesEqualGitArchiveOfTheTagAfterExclusions() throws Exception {
    Path archive = buildArchive(tmp.resolve("hello"), tmp.resolve("worker"));
    Process git = new ProcessBuilder("git", "archive", "--format=tar", "--prefix=hello-1.0.0/", SampleRepository.TAG)
        .directory(tmp.resolve("hello").toFile()).start();
    byte[] gitTar = git.getInputStream().readAllBytes();
    assertThat(git.waitFor()).isZero();

    Map<String, String> expected = new TreeMap<>(files(new ByteArrayInputStream(gitTar)));
    // the committed release.yaml excludes .github/ and .gitignore
    expected.keySet().removeIf(p -> p.startsWith("hello-1.0.0/.github/") || p.equals("hello-1.0.0/.gitignore"));
    Map<String, String> actual = files(new GzipCompressorInputStream(Files.newInputStream(archive)));
    assertThat(actual).isEqualTo(expected);
  }

  private static Map<String, String> files(InputStream tarStream) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile()) {
          // git archive writes 0664 (its tar.umask); ours is 0644 as CPython's: compare content and the exec bit
          files.put(e.getName(), new String(tar.readAllBytes()) + "|executable=" + ((e.getMode() & 0100) != 0));
        }
      }
    }
    return files;
  }
}
