package dev.durablerelease.cli;

import static dev.durablerelease.worker.Releases.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.store.Digests;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.SftpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code release run} twice, as an operator runs it again after a success or after the process died between
 * publishing and its end, with the embedded server (gone with each process) and two real targets: a folder and an
 * SFTP server on loopback (MINA SSHD). The second run finds the release published: it says so, names the manifest,
 * rewrites nothing, copies the published files to its --out folder and exits 0. Other content under the same version
 * is still refused, naming the files. About two minutes: four releases of the sample, two of them signed.
 */
class RunTwiceTest {
  @TempDir
  Path tmp;

  private SftpServer sftp;
  private SampleRepository repo;
  private Path folder;
  private Path spec;
  private Path policy;
  private Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    repo = SampleRepository.create(tmp.resolve("hello"));
    sftp = SftpServer.start(tmp.resolve("sftp-root"));
    Path key = sftp.writeClientKey(tmp.resolve("id_ecdsa"));
    Path knownHosts = sftp.writeKnownHosts(tmp.resolve("known_hosts"), sftp.port());
    folder = tmp.resolve("published");
    policy = Files.writeString(tmp.resolve("policy.yaml"), """
        projects:
          hello: {repositories: ["**"], signing: {mode: dev}}
        targets:
          folder: {url: "%s", projects: [hello]}
          sftp: {url: "sftp://%s@127.0.0.1:%d/srv/hello/", key: "file:%s", knownHosts: "%s", projects: [hello]}
        """.formatted(folder.toUri(), SftpServer.USER, sftp.port(), key, knownHosts));
    spec = Files.writeString(tmp.resolve("release.yaml"), Files.readString(repo.dir().resolve("release.yaml"))
        + "upload: [folder, sftp]\n");
    env = new HashMap<>(Map.of("HOME", tmp.toString(), "USER", "tester"));
  }

  @AfterEach
  void tearDown() throws Exception {
    sftp.close();
    repo.close();
  }

  @Test
  void theSameRunTwiceExitsZeroBothTimesAndLeavesTheTargetsByteIdentical() throws Exception {
    CliRun first = CliRun.of(env, args(spec, "out-1"));
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).contains("released hello 1.0.0").contains("published to " + folder.toUri());
    Map<String, String> published = targets();
    assertThat(published).containsKey("published/release.json").containsKey("sftp/release.json");

    CliRun second = CliRun.of(env, args(spec, "out-2"));
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out())
        .contains("hello 1.0.0 (tag v1.0.0, commit " + repo.head() + ") is already published: every target holds"
            + " its files and release.json sha256:" + published.get("published/release.json") + "; nothing was made,"
            + " signed or rewritten")
        .contains(contents(folder).size() + " files in " + tmp.resolve("out-2") + ", checked against their digests")
        .contains("already published to " + folder.toUri())
        .doesNotContainPattern("(?m)^\\s+done\\s+(sign|upload)");
    assertThat(second.err()).isEmpty();
    assertThat(targets()).as("nothing rewritten").isEqualTo(published);
    assertThat(contents(tmp.resolve("out-2"))).as("the published files").isEqualTo(contents(folder));

    // other bytes under the same version: refused, naming the files, once, with no command that cannot help
    Path other = Files.writeString(tmp.resolve("other.yaml"), Files.readString(spec)
        .replace("exclude: [\".github/\", \".gitignore\"]", "exclude: [\".github/\", \".gitignore\", \"README.md\"]"));
    CliRun refused = CliRun.of(env, args(other, "out-3"));
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.RELEASE_FAILED);
    String conflict = "release blocked at upload: nothing was published: ";
    // every file on both targets but the docs archive and its two SBOMs (the docs do not hold README.md)
    int differ = 2 * (contents(folder).size() - 3);
    assertThat(refused.err())
        .contains(conflict + differ + " file(s) of this release differ from what the targets hold: " + folder.toUri()
            + "hello-1.0.0.tar.gz (published as sha256:"
            + published.get("published/hello-1.0.0.tar.gz").substring(0, 12))
        .contains("A published file is never replaced: release a new version")
        .contains("release aborted automatically (for tester) at upload (retrying or resuming cannot change this);"
            + " nothing was published")
        .doesNotContain("resume").doesNotContain("retry ");
    assertThat((refused.out() + refused.err()).split("nothing was published: ", -1)).as("the reason, once").hasSize(2);
    assertThat(targets()).isEqualTo(published);
    assertThat(tmp.resolve("out-3")).doesNotExist();
  }

  @Test
  void aRunKilledAfterPublishingIsFollowedByARunThatFindsTheReleasePublished() throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReleaseCli.class.getName()));
    command.addAll(List.of(args(spec, "out-1")));
    Process run = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("first.log").toFile()).start();
    try {
      // release.json goes into place last, on each target: once both hold it, everything is published
      await("release.json on both targets", () -> Files.exists(folder.resolve("release.json"))
          && Files.exists(sftp.root().resolve("srv/hello/release.json")));
    } finally {
      run.destroyForcibly().waitFor(); // kill -9: the embedded server, its history and the workers die with it
    }
    Map<String, String> published = targets();

    CliRun again = CliRun.of(env, args(spec, "out-2"));
    assertThat(again.exitCode()).as(again + "\n--- first run\n" + Files.readString(tmp.resolve("first.log")))
        .isZero();
    assertThat(again.out()).contains("is already published: every target holds its files and release.json sha256:"
        + published.get("published/release.json"));
    assertThat(targets()).isEqualTo(published);
    // the files; a staging folder the killed run had not removed yet is not the release's
    Map<String, String> files = new TreeMap<>(contents(folder));
    files.values().removeIf("folder"::equals);
    assertThat(contents(tmp.resolve("out-2"))).isEqualTo(files);
  }

  private String[] args(Path releaseSpec, String out) {
    // the Java test server, whose history dies with each run's process: the targets alone say what was published
    return new String[] {"run", "--spec", releaseSpec.toString(), "--repository", repo.url(), "--policy",
        policy.toString(), "--temporal-cli", "none", "--store", tmp.resolve("store").toString(), "--work-dir",
        tmp.resolve("work").toString(), "--out", tmp.resolve(out).toString()};
  }

  /** Every file on both targets, by target and name, with its digest; staging folders would show too. */
  private Map<String, String> targets() throws Exception {
    Map<String, String> files = new TreeMap<>();
    contents(folder).forEach((name, digest) -> files.put("published/" + name, digest));
    contents(sftp.root().resolve("srv/hello")).forEach((name, digest) -> files.put("sftp/" + name, digest));
    return files;
  }

  private static Map<String, String> contents(Path dir) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), Files.isDirectory(p) ? "folder" : Digests.sha256Hex(p));
      }
    }
    return files;
  }
}
