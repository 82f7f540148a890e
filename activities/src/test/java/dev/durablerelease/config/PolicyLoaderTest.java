package dev.durablerelease.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.policy.Domain;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.policy.ProjectPolicy;
import dev.durablerelease.policy.SigningPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
  private static final String ERIN = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQ4J7c1hh2m0xTlN2cL0H+2f2Vn3Zr6y4x0c8A1b2C3 erin";
  private static final String FRANK = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v frank";

  private static final String POLICY = """
      defaults:
        ceilings: {memory: 16GiB, processes: 4096}
      projects:
        hello:
          repositories: ["https://git.example.org/hello.git", "/srv/git/*"]
          tagSignature: {allowedSigners: /etc/durable-release/hello.allowed_signers}
          signing:
            identityToken: env:SIGSTORE_ID_TOKEN
            expectIdentity: https://github.com/example/hello/.github/workflows/release.yml@refs/tags/v{version}
            expectIssuer: https://token.actions.githubusercontent.com
          approval: {approvals: 2, approvers: [erin, frank]}
          submodules: {allow: ["https://github.com/example/*"]}
        other:
          repositories: [https://git.example.org/other.git]
      approvers:
        erin: %s
        frank: %s
      targets:
        downloads:
          url: sftp://release@downloads.example.org/srv/releases/{project}/
          key: file:/etc/durable-release/id_ed25519
          knownHosts: /etc/durable-release/known_hosts
          projects: [hello, other]
        mirror:
          url: s3://releases/hello/
          projects: [hello]
      """.formatted(ERIN, FRANK);

  private static Policy load(String yaml, Set<Domain> domains) throws ConfigException {
    return PolicyLoader.parse(yaml, "policy.yaml", domains);
  }

  private static List<ConfigError> errors(String yaml, Set<Domain> domains) {
    try {
      load(yaml, domains);
    } catch (ConfigException e) {
      return e.errors();
    }
    throw new AssertionError("policy was accepted:\n" + yaml);
  }

  @Test
  void aProjectGetsItsOwnSectionsAndTheDefaultsForTheRest() throws Exception {
    Policy policy = load(POLICY, Domain.ALL);
    ProjectPolicy hello = policy.project("hello");
    assertThat(hello.signing().mode()).isNull();
    assertThat(hello.signing().forRelease("hello", "1.2.0").expectIdentity()).endsWith("@refs/tags/v1.2.0");
    assertThat(hello.approval().required()).isEqualTo(2);
    assertThat(hello.approval().timeout()).isEqualTo("72h");
    assertThat(hello.ceilings().memory()).isEqualTo("16GiB");
    assertThat(policy.project("other").signing()).isNull();
    assertThat(policy.target("hello", "mirror").url()).isEqualTo("s3://releases/hello/");
  }

  @Test
  void whatThePolicyDoesNotGrantIsRefusedNamingTheProjectAndThePolicy() throws Exception {
    Policy policy = load(POLICY, Domain.ALL);
    assertThatThrownBy(() -> policy.target("other", "mirror")).isInstanceOf(StageFailure.class)
        .hasMessageContaining("target mirror").hasMessageContaining("not granted to project other")
        .hasMessageContaining("policy.yaml");
    assertThatThrownBy(() -> policy.target("hello", "attic")).hasMessageContaining("does not define")
        .hasMessageContaining("downloads, mirror");
    assertThatThrownBy(() -> policy.project("stranger")).hasMessageContaining("project stranger is not in");
    assertThatThrownBy(() -> policy.requireRepository("other", "/srv/git/other"))
        .hasMessageContaining("may not be released from /srv/git/other");
    policy.requireRepository("hello", "/srv/git/hello");
    assertThatThrownBy(() -> policy.requireRepository("hello", "/srv/git/nested/hello"))
        .hasMessageContaining("may not be released");
    assertThatThrownBy(() -> policy.requireSomeProjectAllows("https://internal.example.org/secret.git"))
        .hasMessageContaining("no project may be released from");
    assertThatThrownBy(() -> policy.requireSubmodule("hello", "lib", "file:///srv/git/lib"))
        .hasMessageContaining("does not allow");
    policy.requireSubmodule("hello", "lib", "https://github.com/example/lib.git");
  }

  @Test
  void eachWorkerReadsOnlyTheSectionsOfItsDomains() throws Exception {
    String brokenTargets = POLICY + "  attic: {url: ftp://attic.example.org/, password: hunter2, projects: [hello]}\n";
    Policy sign = load(brokenTargets, EnumSet.of(Domain.SIGN));
    assertThat(sign.targets()).isEmpty();
    assertThat(sign.approvers()).containsOnlyKeys("erin", "frank");
    assertThat(sign.project("hello").tagSignature()).isNull();
    Policy build = load(brokenTargets, EnumSet.of(Domain.BUILD));
    assertThat(build.approvers()).isEmpty();
    assertThat(build.project("hello").signing()).isNull();
    assertThat(build.project("hello").ceilings().processes()).isEqualTo(4096);
    assertThat(errors(brokenTargets, EnumSet.of(Domain.UPLOAD))).extracting(ConfigError::field)
        .containsExactly("targets.attic.url");
  }

  @Test
  void targetsNeedTheirFieldsTakeSecretsOnlyAsReferencesAndNameTheirProjects() {
    List<ConfigError> errors = errors("""
        targets:
          a:
            url: sftp://release@downloads.example.org/srv/{version}/
            key: /home/release/.ssh/id_ed25519
            password: hunter2
            projects: [hello]
          b:
            url: sftp://release@downloads.example.org/srv/
            key: file:/keys/id_ed25519
            hostKey: SHA256:short
            projects: [hello]
          c:
            url: s3://releases/
            accessKeyId: env:AWS_KEY
            knownHosts: /etc/ssh/ssh_known_hosts
            projects: [hello, other]
          d:
            url: file:///srv/releases/
            region: eu-west-1
          e:
            url: http://deployer@repo.example.org/releases/
            password: env:DAV_PASSWORD
            projects: ["*"]
        """, EnumSet.of(Domain.UPLOAD));
    assertThat(errors).extracting(ConfigError::field).containsExactlyInAnyOrder(
        "targets.a.key", "targets.a.password", "targets.a.knownHosts", "targets.b.hostKey",
        "targets.c.accessKeyId", "targets.c.knownHosts", "targets.c.url", "targets.d.region", "targets.d.projects",
        "targets.e.url", "targets.e.url");
    assertThat(errors).filteredOn(e -> e.field().equals("targets.a.password")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("env:NAME").doesNotContain("hunter2"));
    assertThat(errors).filteredOn(e -> e.field().equals("targets.c.url")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("{project}"));
    assertThat(errors).extracting(ConfigError::message)
        .anySatisfy(m -> assertThat(m).contains("plain http:// would send the password in clear"));
  }

  @Test
  void signingApprovalsAndApproversThatCannotWorkAreAllReported() {
    String token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2lnbmF0dXJl";
    List<ConfigError> errors = errors("""
        projects:
          hello:
            repositories: [/srv/git/hello]
            signing: {mode: private, identityToken: %s, trustedRoot: trusted_root.json, expectIdentity: "regex:(("}
            approval: {approvals: 3, approvers: [erin, mallory], timeout: soon}
          dev:
            repositories: [/srv/git/dev]
            signing: {mode: dev, identityToken: env:T}
        approvers:
          erin: %s
          frank: not a key
        """.formatted(token, ERIN), EnumSet.of(Domain.SIGN));
    assertThat(errors).extracting(ConfigError::field).containsExactlyInAnyOrder(
        "projects.hello.signing.identityToken", "projects.hello.signing.trustedRoot",
        "projects.hello.signing.signingConfig", "projects.hello.signing.expectIdentity",
        "projects.hello.signing.expectIssuer", "projects.hello.approval.timeout",
        "projects.hello.approval.approvers[1]", "projects.hello.approval.approvals",
        "projects.dev.signing.identityToken", "approvers.frank");
    assertThat(errors).extracting(ConfigError::message)
        .allSatisfy(m -> assertThat(m).doesNotContain(token))
        .anySatisfy(m -> assertThat(m).contains("mallory is not under approvers:"))
        .anySatisfy(m -> assertThat(m).contains("dev mode mints its own identity"))
        .anySatisfy(m -> assertThat(m).contains("not an SSH public key"));
  }

  @Test
  void twoBuildersAreTheSignDomainsToAskForAndNoEngineOfThreeIsPretended() throws Exception {
    String yaml = """
        defaults:
          reproducibility: {builders: 2}
        projects:
          hello: {repositories: [/srv/git/hello]}
          other: {repositories: [/srv/git/other], reproducibility: {builders: 1}}
        """;
    Policy sign = load(yaml, EnumSet.of(Domain.SIGN));
    assertThat(sign.project("hello").reproducibility().required()).isEqualTo(2);
    assertThat(sign.project("other").reproducibility().required()).isEqualTo(1);
    // a source worker, the one the check distrusts, does not even read it
    assertThat(load(yaml, EnumSet.of(Domain.SOURCE)).project("hello").reproducibility()).isNull();
    List<ConfigError> errors = errors("""
        projects:
          hello: {repositories: [/srv/git/hello], reproducibility: {builders: 3}}
          other: {repositories: [/srv/git/other], reproducibility: {builders: 0}}
        """, EnumSet.of(Domain.SIGN));
    assertThat(errors).extracting(ConfigError::field).containsExactlyInAnyOrder(
        "projects.hello.reproducibility.builders", "projects.other.reproducibility.builders");
    assertThat(errors.get(0).message()).contains("write 2 for a second builder on the source2 queue");
  }

  @Test
  void everyProjectSaysWhereItsSourceMayComeFromAndUnknownSectionsAreNamed() {
    assertThat(errors("""
        projects:
          hello: {signing: {mode: dev}}
        target: {}
        """, Domain.ALL)).extracting(ConfigError::field).containsExactlyInAnyOrder("projects.hello", "target");
  }

  /** The first YAML block after {@code after} in a page of the repository. */
  @Test
  void versionGatesAreCheckedAndAnApprovalForSomeLevelsNeedsAPinnedScheme() throws Exception {
    String approvers = "approvers:\n  erin: " + ERIN + "\n";
    List<ConfigError> errors = errors("""
        projects:
          hello:
            repositories: ["**"]
            approval: {approvals: 1, approvers: [erin], when: [final, gold]}
          other:
            repositories: ["**"]
            versions: {scheme: semver2, maintenanceLines: ["3.12"]}
        targets:
          stable: {url: "file:///srv/{project}/{sereis}/", projects: [hello], releases: [beta, beta]}
        """ + approvers, Domain.ALL);
    assertThat(errors).extracting(ConfigError::field).containsExactlyInAnyOrder("projects.hello.approval.when",
        "projects.hello.approval.when[1]", "projects.other.versions.scheme",
        "projects.other.versions.maintenanceLines[0]", "targets.stable.url", "targets.stable.releases[1]");
    assertThat(errors).filteredOn(e -> e.field().equals("projects.hello.approval.when")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("versions: {scheme:")
            .contains("cannot choose the scheme"));
    assertThat(errors).filteredOn(e -> e.field().equals("targets.stable.url")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("unknown placeholder {sereis}").contains("{series}"));

    Policy policy = load("""
        defaults:
          versions: {scheme: pep440, maintenanceLines: ["3.12.*"]}
        projects:
          hello:
            repositories: ["**"]
            approval: {approvals: 1, approvers: [erin], when: [final]}
        targets:
          stable: {url: "file:///srv/{project}/{series}/{normalizedVersion}/", projects: [hello], releases: [final]}
        """ + approvers, Domain.ALL);
    assertThat(policy.project("hello").approval().levels()).containsExactly("final");
    assertThat(policy.project("hello").versions().lines()).containsExactly("3.12.*");
    assertThat(policy.targets().get("stable").levels()).containsExactly("final");
  }

  private static String example(String page, String after) throws Exception {
    Path top = Path.of("").toAbsolutePath();
    while (!Files.exists(top.resolve(page))) {
      top = top.getParent();
    }
    String markdown = Files.readString(top.resolve(page));
    String block = markdown.substring(markdown.indexOf("```yaml\n", markdown.indexOf(after)) + 8);
    return block.substring(0, block.indexOf("```"));
  }

  @Test
  void theExamplesOfTheReadmeAndTheDocsAreValidPolicies() throws Exception {
    Policy minimal = load(example("README.md", "## The operator's policy"), Domain.ALL);
    assertThat(minimal.target("hello", "downloads").knownHosts()).isEqualTo("/etc/durable-release/known_hosts");
    Policy policy = load(example("docs/policy.md", "## A complete example"), Domain.ALL);
    assertThat(policy.project("hello").approval().required()).isEqualTo(2);
    assertThat(policy.target("hello", "downloads").url()).contains("{project}");
    assertThat(policy.project("hello").ceilings().memory()).isEqualTo("32GiB");
    assertThat(policy.project("hello").reproducibility().required()).isEqualTo(2);
  }

  @Test
  void theBuiltInDevPolicyAllowsDevSigningAndOnlyTheFoldersNamed() {
    Policy dev = Policy.builtInDev(java.util.Map.of("local", "file:///tmp/out/"));
    assertThat(dev.project("anything").signing().mode()).isEqualTo(SigningPolicy.DEV);
    assertThat(dev.project("anything").approval()).isNull();
    assertThat(dev.target("anything", "local").url()).isEqualTo("file:///tmp/out/");
    assertThatThrownBy(() -> dev.target("anything", "downloads")).hasMessageContaining("--target downloads=DIR")
        .hasMessageContaining("the built-in dev policy does not define (it defines local)");
    assertThatThrownBy(() -> dev.requireSubmodule("anything", "lib", "file:///srv/git/lib"))
        .hasMessageContaining("allows no submodule URL");
  }
}
