package dev.durablerelease.activities;

import static dev.durablerelease.testing.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.store.Digests;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.StageHarness;
import dev.durablerelease.contract.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZInputStream;

class SourceArchiveTest {
  private static final String TOP = "hello-1.0.0/";

  @TempDir
  Path tmp;

  /** The hello sample with a symlink, a non-ASCII and a long name, released as tar.gz, tar.xz and zip. */
  static SampleRepository sample(Path dir) throws IOException {
    SampleRepository repo = SampleRepository.create(dir);
    String spec = Files.readString(dir.resolve("release.yaml"))
        .replace("source:\n", "source:\n  formats: [tar.gz, tar.xz, zip]\n");
    repo.writeFile("release.yaml", spec);
    repo.writeFile("docs/café.md", "# Café\n");
    repo.writeFile("src/" + "deeply/".repeat(20) + "nested.h", "#define DEEP 1\n");
    Files.createSymbolicLink(dir.resolve("src/hello-link.c"), Path.of("hello.c"));
    repo.commitAll("hello 1.0.0 in three formats");
    repo.tag(SampleRepository.TAG);
    return repo;
  }

  /** Builds the tag through the activities; returns the archives by format. */
  static Map<String, Path> build(String repository, Path workerDir, Path out) throws IOException {
    Map<String, Path> files = new LinkedHashMap<>();
    try (StageHarness stages = new StageHarness(workerDir)) {
      Checkout checkout = stages.source().checkout(
          new CheckoutInput(repository, SampleRepository.VERSION, SampleRepository.TAG, null, null, false));
      Archives archives = stages.source().buildSource(checkout);
      for (ArtifactRef archive : archives.archives()) {
        Path file = out.resolve(archive.name());
        stages.context().store().copyTo(archive, file);
        files.put(archive.name().substring("hello-1.0.0.".length()), file);
      }
    }
    return files;
  }

  private Map<String, Path> buildSample() throws IOException {
    try (SampleRepository repo = sample(tmp.resolve("hello"))) {
      return build(repo.url(), tmp.resolve("worker"), Files.createDirectories(tmp.resolve("out")));
    }
  }

  /**
   * Two fresh clones, built in child JVMs that differ in umask, time zone, locale, folder and time, give the same
   * bytes for every format.
   */
  @Test
  void buildsOnDifferentMachinesAreByteIdentical() throws Exception {
    try (SampleRepository repo = sample(tmp.resolve("origin"))) {
      Map<String, String> first = buildInChild(repo.url(), tmp.resolve("a"), "022", "UTC", "en", "US");
      Map<String, String> second = buildInChild(repo.url(), tmp.resolve("b/other/place"), "077", "Pacific/Chatham",
          "tr", "TR");
      assertThat(first).containsOnlyKeys("hello-1.0.0.tar.gz", "hello-1.0.0.tar.xz", "hello-1.0.0.zip");
      assertThat(second).isEqualTo(first);
    }
  }

  /** Only C, C.UTF-8 and POSIX are installed here: the Java locale is set with user.language and user.country. */
  private static Map<String, String> buildInChild(String origin, Path dir, String umask, String tz, String language,
      String country) throws Exception {
    Files.createDirectories(dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\"", java,
        "-Duser.language=" + language, "-Duser.country=" + country, "-cp", System.getProperty("java.class.path"),
        ReproducibleBuild.class.getName(), origin, dir.toString());
    pb.environment().put("TZ", tz);
    pb.environment().put("LANG", "C.UTF-8");
    Process p = pb.redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    Map<String, String> digests = new TreeMap<>();
    try (var files = Files.list(dir.resolve("out"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        digests.put(f.getFileName().toString(), Digests.sha256Hex(Files.readAllBytes(f)));
      }
    }
    return digests;
  }

  /** The child JVM of {@link #buildsOnDifferentMachinesAreByteIdentical}: a fresh clone, then the activities. */
  public static final class ReproducibleBuild {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[1]);
      Path clone = dir.resolve("clone");
      Git.cloneRepository().setURI(args[0]).setDirectory(clone.toFile()).setCloneAllBranches(true).call().close();
      build(clone.toString(), dir.resolve("worker"), Files.createDirectories(dir.resolve("out")));
      System.exit(0);
    }
  }

  @Test
  void gnuTarUnzipGzipAndXzReadTheArchivesAndSeeNormalisedMetadata() throws Exception {
    Map<String, Path> archives = buildSample();
    Path out = tmp.resolve("out");
    run(out, "gzip", "-t", archives.get("tar.gz").toString());
    run(out, "xz", "-t", archives.get("tar.xz").toString());

    for (String format : List.of("tar.gz", "tar.xz")) {
      List<String> lines = run(out, "tar", "--numeric-owner", "--utc", "-tvf", archives.get(format).toString())
          .lines().toList();
      assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" 0/0 ").contains("2026-11-01 12:01"));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("drwxr-xr-x").endsWith(" " + TOP));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("-rwxr-xr-x").endsWith(" " + TOP + "tests/run-tests.sh"));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("-rw-r--r--").endsWith(" " + TOP + "src/hello.c"));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("lrwxrwxrwx")
          .endsWith(" " + TOP + "src/hello-link.c -> hello.c"));
      assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" " + TOP + "docs/café.md"));
      assertThat(lines).filteredOn(l -> l.endsWith(" " + TOP)).hasSize(1);
      assertThat(lines).noneSatisfy(l -> assertThat(l).contains("PaxHeaders"));
    }
    // PAX headers: a path for each name that is long (100 bytes or more) or not ASCII, nothing else (no atime, ctime)
    List<String> needPax = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GzipCompressorInputStream(Files.newInputStream(archives.get("tar.gz"))), "UTF-8")) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (e.getName().getBytes(StandardCharsets.UTF_8).length >= 100
            || !StandardCharsets.US_ASCII.newEncoder().canEncode(e.getName())) {
          needPax.add("path=" + e.getName());
        }
      }
    }
    assertThat(needPax).contains("path=" + TOP + "docs/café.md",
        "path=" + TOP + "src/" + "deeply/".repeat(20) + "nested.h");
    assertThat(paxRecords(archives.get("tar.gz"))).containsExactlyInAnyOrderElementsOf(needPax);
    byte[] gz = Files.readAllBytes(archives.get("tar.gz"));
    assertThat(gz[3] & 0x08).as("gzip FNAME flag").isZero();
    assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).as("gzip MTIME").containsOnly(0);

    List<String> zip = run(out, "unzip", "-Z", archives.get("zip").toString()).lines()
        .filter(l -> l.contains(TOP)).toList();
    assertThat(zip).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" unx ").contains("26-Nov-01 12:01"));
    assertThat(zip).anySatisfy(l -> assertThat(l).startsWith("drwxr-xr-x").endsWith(" " + TOP));
    assertThat(zip).anySatisfy(l -> assertThat(l).startsWith("-rwxr-xr-x").endsWith(" " + TOP + "tests/run-tests.sh"));
    assertThat(zip).anySatisfy(l -> assertThat(l).startsWith("-rw-r--r--").endsWith(" " + TOP + "src/hello.c"));
    assertThat(zip).anySatisfy(l -> assertThat(l).startsWith("lrwxrwxrwx").endsWith(" " + TOP + "src/hello-link.c"));
    assertThat(run(out, "unzip", "-Zv", archives.get("zip").toString()).lines()
        .filter(l -> l.contains("length of extra field")).toList())
        .isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(" 0 bytes"));
    run(out, "unzip", "-tq", archives.get("zip").toString());
  }

  @Test
  void everyFormatHoldsWhatGitArchiveHoldsAfterExclusions() throws Exception {
    Map<String, Path> archives = buildSample();
    Process git = new ProcessBuilder("git", "archive", "--format=tar", "--prefix=" + TOP, SampleRepository.TAG)
        .directory(tmp.resolve("hello").toFile()).start();
    byte[] gitTar = git.getInputStream().readAllBytes();
    assertThat(git.waitFor()).isZero();

    Map<String, String> expected = tarContents(new ByteArrayInputStream(gitTar));
    // the committed release.yaml excludes .github/ and .gitignore (and so do the default exclusions)
    expected.keySet().removeIf(p -> p.startsWith(TOP + ".github/") || p.equals(TOP + ".gitignore"));
    assertThat(expected).containsKey(TOP + "src/hello-link.c");
    assertThat(tarContents(new GzipCompressorInputStream(Files.newInputStream(archives.get("tar.gz")))))
        .isEqualTo(expected);
    assertThat(tarContents(new XZInputStream(Files.newInputStream(archives.get("tar.xz"))))).isEqualTo(expected);
    assertThat(zipContents(archives.get("zip"))).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void everyFormatUnpacksToTheSameFolderAndSha256sumsListsThemSortedByName() throws Exception {
    Map<String, Path> archives = buildSample();
    Map<String, String> first = null;
    for (Map.Entry<String, Path> archive : archives.entrySet()) {
      Path folder = tmp.resolve("unpacked-" + archive.getKey());
      try (InputStream in = Files.newInputStream(archive.getValue())) {
        dev.durablerelease.archive.ArchiveUnpacker.unpack(in, folder);
      }
      Map<String, String> tree = folderContents(folder);
      assertThat(tree).containsEntry(TOP + "src/hello-link.c", "-> hello.c")
          .containsEntry(TOP + "docs/café.md", "# Café\n|executable=false");
      if (first == null) {
        first = tree;
      }
      assertThat(tree).as(archive.getKey()).isEqualTo(first);
    }

    List<ArtifactRef> refs = new ArrayList<>();
    for (String format : List.of("zip", "tar.xz", "tar.gz")) {
      Path file = archives.get(format);
      refs.add(new ArtifactRef(file.getFileName().toString(), dev.durablerelease.contract.ArtifactKind.SOURCE_ARCHIVE,
          Digests.sha256Hex(Files.readAllBytes(file)), Files.size(file)));
    }
    Path out = tmp.resolve("out");
    Files.write(out.resolve("SHA256SUMS"), dev.durablerelease.manifest.ManifestWriter.sha256sums(refs));
    assertThat(Files.readAllLines(out.resolve("SHA256SUMS"))).extracting(l -> l.substring(66))
        .containsExactly("hello-1.0.0.tar.gz", "hello-1.0.0.tar.xz", "hello-1.0.0.zip");
    assertThat(run(out, "sha256sum", "-c", "--strict", "SHA256SUMS")).contains("hello-1.0.0.zip: OK");
  }

  /** The records of every PAX extended header ('x'), read from the raw tar blocks. */
  private static List<String> paxRecords(Path tarGz) throws IOException {
    byte[] tar;
    try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(tarGz))) {
      tar = in.readAllBytes();
    }
    List<String> records = new ArrayList<>();
    for (int at = 0; at + 512 <= tar.length && tar[at] != 0; ) {
      long size = Long.parseLong(new String(tar, at + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
      if (tar[at + 156] == 'x') {
        String body = new String(tar, at + 512, (int) size, StandardCharsets.UTF_8);
        // each record is "LENGTH key=value\n"
        body.lines().forEach(l -> records.add(l.substring(l.indexOf(' ') + 1)));
      }
      at += 512 + (int) ((size + 511) / 512 * 512);
    }
    return records;
  }

  private static Map<String, String> folderContents(Path folder) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (var walk = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String name = folder.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          files.put(name, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p)) {
          files.put(name, Files.readString(p) + "|executable=" + Files.isExecutable(p));
        } else if (!name.isEmpty()) {
          files.put(name + "/", "dir");
        }
      }
    }
    return files;
  }

  /** Regular files and symlinks: content (or target) and the exec bit; git archive's 0664 vs our 0644 aside. */
  private static Map<String, String> tarContents(InputStream tarStream) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream, "UTF-8")) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isSymbolicLink()) { // before isFile(), which Commons Compress also answers true for symlinks
          files.put(e.getName(), "-> " + e.getLinkName());
        } else if (e.isFile()) {
          files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8)
              + "|executable=" + ((e.getMode() & 0100) != 0));
        }
      }
    }
    return files;
  }

  private static Map<String, String> zipContents(Path file) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
      List<ZipArchiveEntry> entries = new ArrayList<>();
      zip.getEntries().asIterator().forEachRemaining(entries::add);
      for (ZipArchiveEntry e : entries) {
        String content = new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
        if (e.isUnixSymlink()) {
          files.put(e.getName(), "-> " + content);
        } else if (!e.isDirectory()) {
          files.put(e.getName(), content + "|executable=" + ((e.getUnixMode() & 0100) != 0));
        }
      }
    }
    return files;
  }
}
