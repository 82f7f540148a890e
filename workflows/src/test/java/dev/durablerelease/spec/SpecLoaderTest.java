package dev.durablerelease.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {

  private static ReleaseSpec load(String yaml) throws SpecException {
    return SpecLoader.load(yaml, "release.yaml", SpecLoader.Overrides.NONE);
  }

  private static List<SpecError> errors(String yaml) {
    try {
      load(yaml);
    } catch (SpecException e) {
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
    assertThat(spec.requiresTagSignature()).isFalse();
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
        docs: {command: make docs, outputs: [site], limits: {tmp: 1GiB}}
        """);
    assertThat(spec.test().limits()).isEqualTo(new LimitsSpec("8GiB", 1024, null, null));
    assertThat(spec.docs().limits()).isEqualTo(new LimitsSpec(null, null, null, "1GiB"));
    assertThat(SpecLoader.normalize(spec, "again")).isEqualTo(spec);

    assertThat(errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        test: {command: make test, limits: {memory: lots, processes: 0, fileSize: 2GiB, tmp: -1}}
        """)).extracting(SpecError::field)
        .containsExactlyInAnyOrder("test.limits.memory", "test.limits.processes", "test.limits.tmp");
  }

  @Test
  void sourceAndTagSignatureFieldsAreNormalisedAndChecked() throws Exception {
    ReleaseSpec spec = load("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        source: {formats: [tar.xz, zip, tar.gz], exclude: [docs/], defaultExclude: false, submodules: include,
                 maxFileSize: 500MiB}
        tagSignature: {allowedSigners: /etc/release/allowed_signers}
        """);
    assertThat(spec.source().formats()).containsExactly("tar.xz", "zip", "tar.gz");
    assertThat(spec.source().exclude()).containsExactly("docs/");
    assertThat(spec.source().includeSubmodules()).isTrue();
    assertThat(spec.source().maxFileSizeBytes()).isEqualTo(500L << 20);
    assertThat(spec.requiresTagSignature()).isTrue();
    assertThat(SpecLoader.normalize(spec, "again")).isEqualTo(spec);

    assertThat(errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        source: {submodules: yes-please, maxFileSize: huge}
        tagSignature: {gpgKeyring: keys.asc}
        """)).extracting(SpecError::field)
        .containsExactlyInAnyOrder("source.submodules", "source.maxFileSize", "tagSignature.gpgKeyring");
    assertThat(errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        tagSignature: {required: true}
        """)).singleElement().satisfies(e -> assertThat(e.message()).contains("gpgKeyring or allowedSigners"));
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
        upload: [{url: "file:///srv/releases/{project}/{version}"}]
        """);
    assertThat(spec.tag()).isEqualTo("release-2.1.0");
    assertThat(spec.source().name()).isEqualTo("hello-src-2.1.0");
    assertThat(spec.test().command()).isEqualTo("make test VERSION={version}");
    assertThat(Durations.parse(spec.test().timeout())).hasMinutes(90);
    assertThat(spec.test().env()).containsEntry("CFLAGS", "-O2");
    assertThat(spec.docs().timeout()).isEqualTo("30m");
    assertThat(spec.docs().skippable()).isTrue();
    assertThat(spec.upload()).extracting(UploadSpec::url).containsExactly("file:///srv/releases/hello/2.1.0/");
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
    List<SpecError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        tset:
          command: make test
        source:
          formats: [tar.gz]
          exlude: [".github/"]
        """);
    assertThat(errors).extracting(SpecError::field, SpecError::line)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tset", 4),
            org.assertj.core.groups.Tuple.tuple("source.exlude", 8));
    assertThat(errors.get(0).message()).contains("unknown key").contains("test");
    assertThat(errors.get(1).message()).contains("exclude");
  }

  @Test
  void missingRequiredFieldsBadDurationsAndBadUrlsAreAllReported() {
    List<SpecError> errors = errors("""
        version: 1.0.0
        test:
          timeout: 30x
        docs:
          command: make docs
        upload:
          - url: ftp://releases@host/srv/
          - url: file:relative/path
        expectedCommit: 51b7f2a
        """);
    assertThat(errors).extracting(SpecError::field).containsExactlyInAnyOrder(
        "project", "repository", "test.command", "test.timeout", "docs.outputs", "upload[0].url", "upload[1].url",
        "expectedCommit");
    SpecError timeout = errors.stream().filter(e -> e.field().equals("test.timeout")).findFirst().orElseThrow();
    assertThat(timeout.line()).isEqualTo(3);
    assertThat(timeout.message()).contains("\"30x\" is not a duration").contains("30m");
    SpecError commit = errors.stream().filter(e -> e.field().equals("expectedCommit")).findFirst().orElseThrow();
    assertThat(commit.line()).isEqualTo(9);
    assertThat(commit.message()).contains("full commit id");
    SpecError ftp = errors.stream().filter(e -> e.field().equals("upload[0].url")).findFirst().orElseThrow();
    assertThat(ftp.line()).isEqualTo(7);
    assertThat(ftp.message()).contains("unsupported target").contains("file://, http://, https://, s3://, sftp://");
  }

  @Test
  void publicationTargetsNeedTheirFieldsAndTakeSecretsOnlyAsReferences() throws Exception {
    List<SpecError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        upload:
          - url: sftp://release@downloads.example.org/srv/{version}/
            key: /home/release/.ssh/id_ed25519
            password: hunter2
          - url: sftp://release@downloads.example.org/srv/
            key: file:/keys/id_ed25519
            hostKey: SHA256:short
          - url: s3://releases/{project}/
            accessKeyId: env:AWS_KEY
            knownHosts: /etc/ssh/ssh_known_hosts
          - url: file:///srv/releases/
            region: eu-west-1
          - url: http://deployer@repo.example.org/releases/
            password: env:DAV_PASSWORD
        """);
    assertThat(errors).extracting(SpecError::field).containsExactlyInAnyOrder(
        "upload[0].key", "upload[0].password", "upload[0].knownHosts", "upload[1].hostKey",
        "upload[2].accessKeyId", "upload[2].knownHosts", "upload[3].region", "upload[4].url");
    assertThat(errors).filteredOn(e -> e.field().equals("upload[0].password")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("env:NAME").doesNotContain("hunter2"));
    assertThat(errors).filteredOn(e -> e.field().equals("upload[0].knownHosts")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("unknown host key is never accepted"));
    assertThat(errors).filteredOn(e -> e.field().equals("upload[3].region")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("only s3:// targets"));
    assertThat(errors).filteredOn(e -> e.field().equals("upload[4].url")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("plain http:// would send the password in clear"));

    ReleaseSpec spec = SpecLoader.load("""
        project: hello
        repository: /srv/git/hello
        version: 1.0.0
        upload:
          - url: sftp://release@127.0.0.1:2222/srv/{version}
            key: file:/keys/id_ed25519
            knownHosts: /etc/ssh/ssh_known_hosts
          - url: s3://releases/{project}
            endpoint: http://127.0.0.1:9000
            pathStyle: true
            accessKeyId: env:AWS_KEY
            secretAccessKey: file:/run/secrets/aws
          - url: https://deployer@repo.example.org/releases/{version}
            password: env:DAV_PASSWORD
        """, "release.yaml", new SpecLoader.Overrides(null, null));
    assertThat(spec.upload()).extracting(UploadSpec::url).containsExactly("sftp://release@127.0.0.1:2222/srv/1.0.0/",
        "s3://releases/hello/", "https://deployer@repo.example.org/releases/1.0.0/");
    assertThat(spec.upload().get(1).pathStyle()).isTrue();
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
        """)).extracting(SpecError::field).containsExactlyInAnyOrder("project", "version", "tag", "source.name");
  }

  @Test
  void notYamlEmptyAndDuplicateKeysAreClearErrors() {
    assertThatThrownBy(() -> load("project: [unclosed\n")).isInstanceOf(SpecException.class)
        .hasMessageContaining("release.yaml:").hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> load("")).isInstanceOf(SpecException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> load("project: a\nproject: b\n")).isInstanceOf(SpecException.class)
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
  void signingDefaultsToSigstoresPublicInstanceWithATokenReference() throws Exception {
    ReleaseSpec spec = load("""
        project: hello
        repository: /srv/git/hello
        version: 2.1.0
        sign:
          identityToken: env:SIGSTORE_ID_TOKEN
          expectIdentity: regex:^https://github\\.com/example/hello/.*$
          expectIssuer: https://token.actions.githubusercontent.com
        """);
    assertThat(spec.sign().mode()).isEqualTo(SignSpec.PUBLIC);
    assertThat(spec.sign().identityToken()).isEqualTo("env:SIGSTORE_ID_TOKEN");
    assertThat(load("project: hello\nrepository: /r\nversion: 1\nsign: {mode: dev}\n").sign().isDev()).isTrue();
  }

  @Test
  void tokenPastedIntoTheSpecIsRefusedWithoutBeingRepeated() {
    String token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2lnbmF0dXJl";
    List<SpecError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 2.1.0
        sign: {identityToken: %s, expectIdentity: me@example.org, expectIssuer: https://issuer.example.org}
        """.formatted(token));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("sign.identityToken");
      assertThat(e.message()).contains("must be a reference, not a token").doesNotContain(token);
    });
  }

  @Test
  void signingSettingsThatCannotWorkAreAllReported() {
    List<SpecError> errors = errors("""
        project: hello
        repository: /srv/git/hello
        version: 2.1.0
        sign: {mode: private, identityToken: "file:token.jwt", trustedRoot: trusted_root.json, expectIdentity: "regex:(("}
        """);
    assertThat(errors).extracting(SpecError::field).containsExactlyInAnyOrder("sign.identityToken",
        "sign.trustedRoot", "sign.signingConfig", "sign.expectIdentity", "sign.expectIssuer");
    assertThat(errors).extracting(SpecError::message).anySatisfy(m -> assertThat(m).contains("must be an absolute path"))
        .anySatisfy(m -> assertThat(m).contains("not a valid regular expression"))
        .anySatisfy(m -> assertThat(m).contains("private mode needs"));
    assertThat(errors("project: hello\nrepository: /r\nversion: 1\nsign: {mode: dev, identityToken: env:T}\n"))
        .extracting(SpecError::message).singleElement().asString().contains("dev mode mints its own identity");
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

    List<SpecError> errors = errors("""
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
    assertThat(errors).extracting(SpecError::field).containsExactlyInAnyOrder("sbom.downloadUrl", "sbom.purl",
        "sbom.cpe", "sbom.merge", "sbom.packages[0].paths[0]", "sbom.packages[1].name",
        "sbom.packages[1].paths[0]", "sbom.packages[2].name", "sbom.packages[3].paths", "sbom.packages[3].purl");
    assertThat(errors).extracting(SpecError::message)
        .anySatisfy(m -> assertThat(m).contains("is listed twice"))
        .anySatisfy(m -> assertThat(m).contains("is not a package URL"))
        .anySatisfy(m -> assertThat(m).contains("is not a CPE 2.3 name"));
  }
}
