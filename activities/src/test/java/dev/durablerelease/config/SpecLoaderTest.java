package dev.durablerelease.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.spec.ArtifactNames;
import dev.durablerelease.spec.Durations;
import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.TargetRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {

  private static ReleaseSpec load(String yaml) throws ConfigException {
    return SpecLoader.load(yaml, "release.yaml", SpecLoader.Overrides.NONE);
  }

  private static List<ConfigError> errors(String yaml) {
    try {
      load(yaml);
    } catch (ConfigException e) {
      return e.errors();
    }
    throw new AssertionError("spec was accepted:\n" + yaml);
  }

  @Test
  void minimalSpecGetsEveryDefault() throws Exception {
    ReleaseSpec spec = load("""
        project: hello
        repository: https://git.example.org/hello.git
        version: 2.1.0
        """);
    assertThat(spec.tag()).isEqualTo("v2.1.0");
    assertThat(spec.source().name()).isEqualTo("hello-2.1.0");
    assertThat(spec.source().formats()).containsExactly("tar.gz");
    assertThat(spec.source().exclude()).containsExactly(".git*", ".github/", ".azure-pipelines/");
    assertThat(spec.source().includeSubmodules()).isFalse();
    assertThat(spec.source().maxFileSizeBytes()).isEqualTo(2L << 30);
    assertThat(spec.sbom().formats()).containsExactly("spdx", "cyclonedx");
    assertThat(spec.sbom().packages()).isEmpty();
    assertThat(spec.hasTests()).isFalse();
    assertThat(spec.hasDocs()).isFalse();
    assertThat(spec.hasUploads()).isFalse();
  }

  @Test
  void sandboxLimitsAreKeptAndChecked() throws Exception {
    ReleaseSpec spec = load("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        test: {command: make test, limits: {memory: 8GiB, processes: 1024}}
        docs: {command: make docs, outputs: [site], limits: {tmp: 1GiB, disk: 20GiB}}
        """);
    assertThat(spec.test().limits()).isEqualTo(new LimitsSpec("8GiB", 1024, null, null, null));
    assertThat(spec.docs().limits()).isEqualTo(new LimitsSpec(null, null, null, "1GiB", "20GiB"));
    assertThat(SpecLoader.normalize(spec, "again")).isEqualTo(spec);

    assertThat(errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        test: {command: make test, limits: {memory: lots, processes: 0, fileSize: 2GiB, tmp: -1, disk: 1MiB}}
        docs: {command: make docs, outputs: [site], limits: {disk: plenty}}
        """)).extracting(ConfigError::field).containsExactlyInAnyOrder("test.limits.memory", "test.limits.processes",
            "test.limits.tmp", "test.limits.disk", "docs.limits.disk");
  }

  @Test
  void loaderAndShellStartUpVariablesAreRefusedNamingTheKeyAndWhy() {
    List<ConfigError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        test: {command: make test, env: {LD_PRELOAD: ./evil.so, LD_LIBRARY_PATH: lib, BASH_ENV: x.sh, CFLAGS: -O2}}
        docs: {command: make docs, outputs: [site], env: {ENV: x.sh, GCONV_PATH: ., SHELLOPTS: xtrace, 1X: y}}
        """);
    assertThat(errors).extracting(ConfigError::field).containsExactlyInAnyOrder("test.env.LD_PRELOAD",
        "test.env.LD_LIBRARY_PATH", "test.env.BASH_ENV", "docs.env.ENV", "docs.env.GCONV_PATH", "docs.env.SHELLOPTS",
        "docs.env.1X");
    assertThat(errors).filteredOn(e -> e.field().equals("test.env.LD_PRELOAD")).singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("LD_PRELOAD is refused: the dynamic loader reads LD_*")
            .contains("export LD_PRELOAD="));
    assertThat(errors).filteredOn(e -> e.field().equals("docs.env.ENV")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("shells read it at start-up"));
    assertThat(errors).filteredOn(e -> e.field().equals("docs.env.GCONV_PATH")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("the C library reads it"));
    assertThat(errors).filteredOn(e -> e.field().equals("docs.env.1X")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("not a valid environment variable name"));
  }

  @Test
  void sourceFieldsAreNormalisedAndChecked() throws Exception {
    ReleaseSpec spec = load("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        source: {formats: [tar.xz, zip, tar.gz], exclude: [docs/], defaultExclude: false, submodules: include,
                 maxFileSize: 500MiB}
        """);
    assertThat(spec.source().formats()).containsExactly("tar.xz", "zip", "tar.gz");
    assertThat(spec.source().exclude()).containsExactly("docs/");
    assertThat(spec.source().includeSubmodules()).isTrue();
    assertThat(spec.source().maxFileSizeBytes()).isEqualTo(500L << 20);
    assertThat(SpecLoader.normalize(spec, "again")).isEqualTo(spec);

    assertThat(errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        source: {submodules: yes-please, maxFileSize: huge}
        """)).extracting(ConfigError::field)
        .containsExactlyInAnyOrder("source.submodules", "source.maxFileSize");
  }

  @Test
  void keysThatDecideTrustAreRefusedSayingTheyMovedToThePolicy() {
    List<ConfigError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        sign: {mode: dev}
        approval: {approvers: [erin]}
        tagSignature: {gpgKeyring: /etc/keys.asc}
        upload:
          - url: http://attacker@127.0.0.1:18080/dav/
            password: file:/etc/durable-release/other-project-password
          - downloads
        """);
    assertThat(errors).extracting(ConfigError::field, ConfigError::line).containsExactly(
        org.assertj.core.groups.Tuple.tuple("sign", 4), org.assertj.core.groups.Tuple.tuple("approval", 5),
        org.assertj.core.groups.Tuple.tuple("tagSignature", 6),
        org.assertj.core.groups.Tuple.tuple("upload[0].url", 8),
        org.assertj.core.groups.Tuple.tuple("upload[0].password", 9));
    assertThat(errors).allSatisfy(e -> assertThat(e.message()).contains("policy").contains("docs/policy.md"));
    assertThat(errors.get(0).message()).contains("projects: hello: signing:");
    assertThat(errors).allSatisfy(e -> assertThat(e.message()).doesNotContain("other-project-password")
        .doesNotContain("attacker"));
  }

  @Test
  void targetsAreAskedForByNameWithAFolderUnderTheirRoot() throws Exception {
    ReleaseSpec spec = load("""
        project: hello
        repository: /srv/git/hello
        version: 2.1.0
        upload: [downloads, {target: mirror, path: "{project}/{version}"}]
        """);
    assertThat(spec.upload()).containsExactly(new TargetRequest("downloads", null),
        new TargetRequest("mirror", "{project}/{version}/"));
    assertThat(SpecLoader.normalize(spec, "again")).isEqualTo(spec);
    assertThat(errors("""
        project: hello
        repository: /srv/git/hello
        version: 2.1.0
        upload: [{target: mirror, path: ../other-project/}, {target: "bad name"}, {path: x/}, downloads, downloads]
        """)).extracting(ConfigError::field).containsExactlyInAnyOrder("upload[0].path", "upload[1].target",
        "upload[2].target", "upload[4]");
  }

  @Test
  void placeholdersAreExpandedAndCommandsKeptVerbatim() throws Exception {
    ReleaseSpec spec = load("""
        project: hello
        repository: /srv/git/hello
        version: 2.1.0
        tag: release-{version}
        source: {name: "{project}-src-{version}"}
        test: {command: "make test VERSION={version}", timeout: 1h30m, env: {CFLAGS: -O2}}
        docs: {command: make docs, outputs: [doc/html], skippable: true}
        """);
    assertThat(spec.tag()).isEqualTo("release-2.1.0");
    assertThat(spec.source().name()).isEqualTo("hello-src-2.1.0");
    assertThat(spec.test().command()).isEqualTo("make test VERSION={version}");
    assertThat(Durations.parse(spec.test().timeout())).hasMinutes(90);
    assertThat(spec.test().env()).containsEntry("CFLAGS", "-O2");
    assertThat(spec.docs().timeout()).isEqualTo("30m");
    assertThat(spec.docs().skippable()).isTrue();
  }

  @Test
  void overridesWinOverTheFile() throws Exception {
    ReleaseSpec spec = SpecLoader.load("project: hello\nversion: 1.0.0\n", "release.yaml",
        new SpecLoader.Overrides("/tmp/hello", "1.0.1"));
    assertThat(spec.repository()).isEqualTo("/tmp/hello");
    assertThat(spec.version()).isEqualTo("1.0.1");
    assertThat(spec.tag()).isEqualTo("v1.0.1");
  }

  @Test
  void everyUnknownKeyIsReportedWithItsLine() {
    List<ConfigError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        tset:
          command: make test
        source:
          formats: [tar.gz]
          exlude: [".github/"]
        """);
    assertThat(errors).extracting(ConfigError::field, ConfigError::line)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tset", 4),
            org.assertj.core.groups.Tuple.tuple("source.exlude", 8));
    assertThat(errors.get(0).message()).contains("unknown key").contains("test");
    assertThat(errors.get(1).message()).contains("exclude");
  }

  @Test
  void missingRequiredFieldsBadDurationsAndBadCommitsAreAllReported() {
    List<ConfigError> errors = errors("""
        version: 1.0.0
        test:
          timeout: 30x
        docs:
          command: make docs
        repository: ftp://git.example.org/hello
        expectedCommit: 51b7f2a
        """);
    assertThat(errors).extracting(ConfigError::field).containsExactlyInAnyOrder(
        "project", "repository", "test.command", "test.timeout", "docs.outputs", "expectedCommit");
    ConfigError timeout = errors.stream().filter(e -> e.field().equals("test.timeout")).findFirst().orElseThrow();
    assertThat(timeout.line()).isEqualTo(3);
    assertThat(timeout.message()).contains("\"30x\" is not a duration").contains("30m");
    ConfigError commit = errors.stream().filter(e -> e.field().equals("expectedCommit")).findFirst().orElseThrow();
    assertThat(commit.line()).isEqualTo(7);
    assertThat(commit.message()).contains("full commit id");
    ConfigError repository = errors.stream().filter(e -> e.field().equals("repository")).findFirst().orElseThrow();
    assertThat(repository.message()).contains("unsupported scheme ftp://");
  }

  @Test
  void wrongTypesAndUnknownFormatsNameTheField() {
    assertThat(errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        test: make test
        """)).singleElement().satisfies(e -> {
          assertThat(e.field()).isEqualTo("test");
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.message()).contains("wrong type");
        });
    assertThat(errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        source: {formats: [tar.gz, rar]}
        """)).singleElement().satisfies(e -> {
          assertThat(e.field()).isEqualTo("source.formats[1]");
          assertThat(e.message()).contains("unknown format \"rar\"");
        });
  }

  @Test
  void unknownPlaceholdersAndInvalidNamesAreRefused() {
    assertThat(errors("""
        project: hello world
        repository: /srv/git/hello
        version: 1.0/0
        tag: v{verison}
        """)).extracting(ConfigError::field).containsExactlyInAnyOrder("project", "version", "tag", "source.name");
  }

  @Test
  void notYamlEmptyAndDuplicateKeysAreClearErrors() {
    assertThatThrownBy(() -> load("project: [unclosed\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("release.yaml:").hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> load("")).isInstanceOf(ConfigException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> load("project: a\nproject: b\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("Duplicate field 'project'");
  }

  @Test
  void digestIsStableAndChangesWithTheSpec() throws Exception {
    String yaml = "project: hello\nrepository: /srv/git/hello\nversion: 1.0.0\n";
    assertThat(SpecLoader.digest(load(yaml))).isEqualTo(SpecLoader.digest(load(yaml))).hasSize(64);
    assertThat(SpecLoader.digest(load(yaml))).isNotEqualTo(SpecLoader.digest(load(yaml.replace("1.0.0", "1.0.1"))));
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Durations.tryParse("90s")).hasValueSatisfying(d -> assertThat(d).hasSeconds(90));
    assertThat(Durations.tryParse("2d")).hasValueSatisfying(d -> assertThat(d).hasDays(2));
    assertThat(Durations.tryParse("PT15M")).hasValueSatisfying(d -> assertThat(d).hasMinutes(15));
    assertThat(Durations.tryParse("")).isEmpty();
    assertThat(Durations.tryParse("15")).isEmpty();
    assertThat(Durations.tryParse("m")).isEmpty();
  }

  @Test
  void vendoredPackagesAndProjectIdentifiersAreExpandedAndChecked() throws Exception {
    ReleaseSpec spec = load("""
        project: hello
        repository: /srv/git/hello
        version: 2.1.0
        sbom:
          formats: [cyclonedx]
          downloadUrl: https://downloads.example.org/{project}/{version}
          purl: pkg:github/example/hello@{version}
          cpe: cpe:2.3:a:example:hello:{version}:*:*:*:*:*:*:*
          merge: Misc/sbom.spdx.json
          packages:
            - {name: zlib, version: 1.3.1, license: Zlib, purl: pkg:github/madler/zlib@v1.3.1, paths: [vendor/zlib/]}
        """);
    assertThat(spec.sbom().formats()).containsExactly("cyclonedx");
    assertThat(spec.sbom().downloadUrl()).isEqualTo("https://downloads.example.org/hello/2.1.0/");
    assertThat(spec.sbom().purl()).isEqualTo("pkg:github/example/hello@2.1.0");
    assertThat(spec.sbom().cpe()).isEqualTo("cpe:2.3:a:example:hello:2.1.0:*:*:*:*:*:*:*");
    assertThat(spec.sbom().packages()).singleElement()
        .satisfies(p -> assertThat(p.paths()).containsExactly("vendor/zlib/"));

    List<ConfigError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 2.1.0
        sbom:
          downloadUrl: ftp://downloads.example.org/
          purl: github/example/hello
          cpe: cpe:/a:example:hello
          merge: ../outside.spdx.json
          packages:
            - {name: zlib, paths: [/abs/zlib]}
            - {name: zlib, paths: [vendor/zlib/../..]}
            - {version: 1.0}
            - {name: expat, purl: "pkg:libexpat"}
        """);
    assertThat(errors).extracting(ConfigError::field).containsExactlyInAnyOrder("sbom.downloadUrl", "sbom.purl",
        "sbom.cpe", "sbom.merge", "sbom.packages[0].paths[0]", "sbom.packages[1].name",
        "sbom.packages[1].paths[0]", "sbom.packages[2].name", "sbom.packages[3].paths", "sbom.packages[3].purl");
    assertThat(errors).extracting(ConfigError::message)
        .anySatisfy(m -> assertThat(m).contains("is listed twice"))
        .anySatisfy(m -> assertThat(m).contains("is not a package URL"))
        .anySatisfy(m -> assertThat(m).contains("is not a CPE 2.3 name"));
  }

  @Test
  void twoArchivesOfOneNameAreASpecErrorNamingBothEntries() throws Exception {
    // the review's attack: two docs folders with one last name made two archives of one name
    List<ConfigError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        docs:
          command: make docs
          formats: [tar.gz, zip]
          outputs: [a/html, docs/site, b/html/]
        """);
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("docs.outputs[2]");
      assertThat(e.line()).isEqualTo(7);
      assertThat(e.message()).contains("\"b/html/\" makes the archive hello-1.0.0-docs-html.tar.gz, as"
          + " docs.outputs[0] (a/html) does").contains("different last names");
    });
    // the top folder itself is named after the source archive's top folder; a different last name is fine
    ReleaseSpec spec = load("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        docs: {command: make docs, outputs: [., a/html, a/api]}
        """);
    assertThat(spec.docs().outputs()).hasSize(3);
    assertThat(ArtifactNames.docsArchiveBase("hello-1.0.0-docs", "hello-1.0.0", "./")).isEqualTo(
        "hello-1.0.0-docs-hello-1.0.0");
  }
}
