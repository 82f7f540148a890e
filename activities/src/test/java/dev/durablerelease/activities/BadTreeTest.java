package dev.durablerelease.activities;

import static dev.durablerelease.testing.StageHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.SampleStagesTestBase;
import dev.durablerelease.testing.StageHarness;
import dev.durablerelease.testing.TestPolicies;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;

/** Trees that cannot be archived faithfully and safely stop buildSource with a BadTree error naming the path. */
class BadTreeTest extends SampleStagesTestBase {
  private Archives build() {
    Checkout checkout = stages.source().checkout(
        new CheckoutInput(repo.url(), SampleRepository.VERSION, SampleRepository.TAG, null, null, false));
    return stages.source().buildSource(checkout);
  }

  private ApplicationFailure buildFailure() {
    ApplicationFailure f = failure(this::build);
    assertThat(f.getType()).isEqualTo(Failures.BAD_TREE);
    assertThat(f.isNonRetryable()).isTrue();
    return f;
  }

  private void retag(String message) {
    repo.commitAll(message);
    repo.tag(SampleRepository.TAG);
  }

  private void setSource(String sourceLines) throws IOException {
    String spec = Files.readString(repo.dir().resolve("release.yaml")).replace("source:\n", "source:\n" + sourceLines);
    repo.writeFile("release.yaml", spec);
  }

  @Test
  void symlinksThatLeaveTheTreeAreRefused() throws Exception {
    Files.createSymbolicLink(repo.dir().resolve("src/passwd"), Path.of("../../etc/passwd"));
    retag("escaping link");
    assertThat(buildFailure().getOriginalMessage()).contains("symlink src/passwd points to ../../etc/passwd");

    Files.delete(repo.dir().resolve("src/passwd"));
    Files.createSymbolicLink(repo.dir().resolve("src/hosts"), Path.of("/etc/hosts"));
    retag("absolute link");
    assertThat(buildFailure().getOriginalMessage()).contains("symlink src/hosts points to /etc/hosts");

    Files.delete(repo.dir().resolve("src/hosts"));
    Files.createSymbolicLink(repo.dir().resolve("src/up.c"), Path.of("../src/./hello.c"));
    retag("link that stays inside");
    assertThat(build().archives()).hasSize(1);
  }

  @Test
  void aLinkThatClimbsOutThroughOtherLinksIsRefused() throws Exception {
    // the review's attack: each "up" stays where it is, so the eight ".." climb eight levels above the tree
    Path root = repo.dir();
    Files.createSymbolicLink(root.resolve("up"), Path.of("."));
    String climb = "up/".repeat(8) + "../".repeat(8) + "etc/passwd";
    Files.createSymbolicLink(root.resolve("esc"), Path.of(climb));
    retag("links that look inside");
    assertThat(buildFailure().getOriginalMessage())
        .contains("symlink esc points to " + climb + ", which resolves to " + "../".repeat(8) + "etc/passwd")
        .contains("through up -> .").contains("outside the source tree");

    // through a linked folder: sub/back is the top folder, so sub/back/.. is above it
    Files.delete(root.resolve("esc"));
    Files.delete(root.resolve("up"));
    Files.createDirectories(root.resolve("sub"));
    Files.createSymbolicLink(root.resolve("sub/back"), Path.of(".."));
    Files.createSymbolicLink(root.resolve("via-folder"), Path.of("sub/back/../etc/shadow"));
    retag("a link through a linked folder");
    assertThat(buildFailure().getOriginalMessage())
        .contains("symlink via-folder points to sub/back/../etc/shadow, which resolves to ../etc/shadow")
        .contains("through sub/back -> ..");

    // to a link that leads to a link
    Files.delete(root.resolve("via-folder"));
    Files.createSymbolicLink(root.resolve("chain"), Path.of("sub/back"));
    Files.createSymbolicLink(root.resolve("src/far"), Path.of("../chain/../etc/hosts"));
    retag("a link to a link");
    assertThat(buildFailure().getOriginalMessage())
        .contains("symlink src/far points to ../chain/../etc/hosts, which resolves to ../etc/hosts")
        .contains("through chain -> sub/back, sub/back -> ..");

    // a loop is refused too; a link that climbs twice, but from inside a linked folder, stays in the tree
    Files.delete(root.resolve("src/far"));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    retag("a loop");
    assertThat(buildFailure().getOriginalMessage()).contains("symlink loop points to loop, which goes round a loop");
    Files.delete(root.resolve("loop"));
    repo.writeFile("sub/deeper/notes.txt", "notes\n");
    Files.createSymbolicLink(root.resolve("deep"), Path.of("sub/deeper"));
    Files.createSymbolicLink(root.resolve("readme"), Path.of("deep/../../README.md"));
    retag("links that stay inside");
    assertThat(build().archives()).hasSize(1);
  }

  @Test
  void filesOverTheSizeLimitAreRefused() throws Exception {
    setSource("  maxFileSize: 1KiB\n");
    repo.writeFile("data/big.bin", "x".repeat(1025));
    retag("big file");
    assertThat(buildFailure().getOriginalMessage())
        .contains("data/big.bin is 1025 bytes, more than source.maxFileSize (1024 bytes)");
  }

  @Test
  void dotDotAbsoluteAndNonUtf8NamesAreRefused() throws Exception {
    assertThat(craftedTreeFailure("..".getBytes(StandardCharsets.UTF_8)))
        .contains("path ..").contains("'..' segment");
    assertThat(craftedTreeFailure("/etc".getBytes(StandardCharsets.UTF_8)))
        .contains("path /etc is absolute");
    assertThat(craftedTreeFailure(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 'c'}))
        .contains("is not valid UTF-8 (name bytes 636166e92e63)");
  }

  /** Adds a file with a raw name git itself would refuse to the tagged tree (as a hostile repository could). */
  private String craftedTreeFailure(byte[] name) throws Exception {
    try (Git git = Git.open(repo.dir().toFile()); ObjectInserter inserter = git.getRepository().newObjectInserter();
        RevWalk walk = new RevWalk(git.getRepository())) {
      Repository r = git.getRepository();
      RevCommit head = walk.parseCommit(r.resolve("HEAD"));
      TreeFormatter tree = new TreeFormatter();
      try (TreeWalk tw = new TreeWalk(r)) {
        tw.addTree(head.getTree());
        while (tw.next()) {
          tree.append(tw.getNameString(), tw.getFileMode(0), tw.getObjectId(0));
        }
      }
      ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "root:x:0:0\n".getBytes(StandardCharsets.UTF_8));
      tree.append(name, 0, name.length, FileMode.REGULAR_FILE, blob);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(inserter.insert(tree));
      commit.setParentId(head);
      PersonIdent who = new PersonIdent("Mallory", "mallory@example.invalid");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("crafted\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = r.updateRef(Constants.R_TAGS + "v6.6.6");
      update.setNewObjectId(id);
      update.setForceUpdate(true);
      update.update();
    }
    ApplicationFailure f = failure(() -> stages.source().buildSource(stages.source().checkout(
        new CheckoutInput(repo.url(), "6.6.6", "v6.6.6", null, null, false))));
    assertThat(f.getType()).isEqualTo(Failures.BAD_TREE);
    return f.getOriginalMessage();
  }

  @Test
  void submodulesAreRefusedUnlessIncludedThenArchivedAtTheirRecordedCommit() throws Exception {
    Path subDir = tmp.resolve("libgreet");
    String recorded;
    try (Git sub = Git.init().setDirectory(subDir.toFile()).setInitialBranch("main").call()) {
      Files.writeString(subDir.resolve("greet.h"), "#define GREETING \"Hello\"\n");
      sub.add().addFilepattern(".").call();
      recorded = sub.commit().setMessage("greet 1\n").setSign(false).call().name();
      Files.writeString(subDir.resolve("greet.h"), "#define GREETING \"Hi\"\n");
      sub.add().addFilepattern(".").call();
      sub.commit().setMessage("greet 2, after the superproject recorded greet 1\n").setSign(false).call();
    }
    try (Git git = Git.open(repo.dir().toFile())) {
      git.submoduleAdd().setPath("lib/greet").setURI(subDir.toString()).call().close();
      try (Git inner = Git.open(repo.dir().resolve("lib/greet").toFile())) {
        inner.checkout().setName(recorded).call();
      }
      git.add().addFilepattern("lib/greet").call();
    }
    retag("add libgreet");
    assertThat(buildFailure().getOriginalMessage()).contains("lib/greet is a submodule").contains(recorded)
        .contains("source.submodules: include");

    setSource("  submodules: include\n");
    retag("include submodules");
    // the operator's policy allows no submodule URL: refused at checkout, before anything is fetched from it
    ApplicationFailure refused = failure(this::build);
    assertThat(refused.getType()).isEqualTo(Failures.POLICY_REFUSED);
    assertThat(refused.getOriginalMessage()).contains("submodule lib/greet of hello is fetched from " + subDir)
        .contains("allows no submodule URL");

    stages.close();
    stages = new StageHarness(tmp.resolve("worker"), TestPolicies.of("""
        projects:
          hello:
            repositories: ["**"]
            submodules: {allow: ["%s"]}
        """.formatted(subDir)));
    Archives archives = build();
    Path file = tmp.resolve("hello-1.0.0.tar.gz");
    stages.context().store().copyTo(archives.primary(), file);
    Map<String, String> files = new TreeMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(file)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        files.put(e.getName(), e.isDirectory() ? "dir" : new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(files).containsEntry("hello-1.0.0/lib/greet/", "dir")
        .containsEntry("hello-1.0.0/lib/greet/greet.h", "#define GREETING \"Hello\"\n")
        .doesNotContainKey("hello-1.0.0/.gitmodules");
  }
}
