package dev.durablerelease.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.spec.ReleaseSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** release.yaml's version rules: schemes, the CPython preset, when:, maintenance lines and derived names. */
class VersionSpecTest {
  private static final String HEAD = """
      project: cpython
      repository: /srv/git/cpython
      """;

  private static ReleaseSpec load(String yaml) throws ConfigException {
    return SpecLoader.load(HEAD + yaml, "release.yaml", SpecLoader.Overrides.NONE);
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
  void derivedNamesExpandInTagAndArchiveName() throws Exception {
    ReleaseSpec spec = load("""
        version: 3.14.0RC1
        versionScheme: pep440
        tag: "v{major}.{minor}.{micro}{prerelease}"
        source: {name: "Python-{normalizedVersion}-{series}"}
        upload: [{target: ftp, path: "{major}.{minor}.{micro}/{normalizedVersion}/"}]
        """);
    assertThat(spec.tag()).isEqualTo("v3.14.0rc1");
    assertThat(spec.source().name()).isEqualTo("Python-3.14.0rc1-3.14");
    // the upload path stays a template: the upload worker expands it with the target's URL
    assertThat(spec.upload().get(0).path()).isEqualTo("{major}.{minor}.{micro}/{normalizedVersion}/");
    assertThat(SpecLoader.normalize(spec, "again")).isEqualTo(spec);
  }

  @Test
  void badTemplatesAreSpecErrors() {
    List<ConfigError> errors = errors("""
        version: 3.14.0
        tag: "v{major}"
        source: {name: "Python-{verison}"}
        upload: [{target: ftp, path: "{series}/"}]
        """);
    assertThat(errors).extracting(ConfigError::field).containsExactly("tag", "source.name", "upload[0].path");
    assertThat(errors.get(0).message()).contains("{major}").contains("add versionScheme:");
    assertThat(errors.get(1).message()).contains("unknown placeholder {verison}").contains("{normalizedVersion}");
    assertThat(errors.get(2).message()).contains("{series}");
    assertThat(errors("""
        version: 2024.01
        versionScheme: calver
        versionPattern: YYYY.0M
        source: {name: "x-{micro}"}
        """)).singleElement().satisfies(e -> assertThat(e.message()).contains("{micro} has no value for 2024.01"));
  }

  @Test
  void anInvalidVersionNamesTheSchemesRule() {
    assertThat(errors("version: 3.14.0-final1\nversionScheme: pep440\n")).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("version");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.message()).contains("is not a PEP 440 version").contains("3.14.0rc1");
    });
    assertThat(errors("version: 1.0\nversionScheme: semver\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("MAJOR.MINOR.PATCH").contains("semver.org"));
    assertThat(errors("version: 2024.13.0\nversionScheme: calver\nversionPattern: YYYY.0M.MICRO\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("does not follow the calendar pattern YYYY.0M.MICRO"));
    assertThat(errors("version: 1.0\nversionScheme: calendar\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("unknown scheme \"calendar\""));
    assertThat(errors("version: 2024.01\nversionScheme: calver\n")).singleElement()
        .satisfies(e -> assertThat(e.field()).isEqualTo("versionPattern"));
    assertThat(errors("version: 1.0.0\nversionScheme: semver\nversionPattern: YYYY\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("only versionScheme: calver"));
  }

  @Test
  void cpythonPresetVersionsAsPep440AndBuildsDocsForCandidatesAndFinals() throws Exception {
    ReleaseSpec spec = load("""
        version: 3.14.0RC1
        preset: cpython
        test: {command: make test}
        docs: {command: make docs, outputs: [Doc/build/html]}
        """);
    assertThat(spec.versionScheme()).isEqualTo("pep440");
    assertThat(spec.docs().when()).containsExactly("rc", "final");
    assertThat(spec.test().when()).isEmpty();
    assertThat(spec.tag()).isEqualTo("v3.14.0RC1");
    assertThat(SpecLoader.normalize(spec, "again")).isEqualTo(spec);
    // the spec's own when: wins over the preset's
    assertThat(load("""
        version: 3.14.0
        preset: cpython
        docs: {command: make docs, outputs: [Doc/build/html], when: [final]}
        """).docs().when()).containsExactly("final");
    assertThat(errors("version: 3.14.0.post1\npreset: cpython\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("not a CPython release version"));
    assertThat(errors("version: 3.14.0\npreset: cpython\nversionScheme: semver\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("preset cpython versions releases as PEP 440 does"));
    assertThat(errors("version: 3.14.0\npreset: django\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("unknown preset"));
  }

  @Test
  void whenNamesReleaseLevelsUnderAScheme() {
    List<ConfigError> errors = errors("""
        version: 1.0.0
        versionScheme: semver
        test: {command: make test, when: [final, gold, final]}
        """);
    assertThat(errors).extracting(ConfigError::field).containsExactly("test.when[1]", "test.when[2]");
    assertThat(errors.get(0).message()).contains("dev, alpha, beta, rc, final, post");
    assertThat(errors("version: 1.0.0\ndocs: {command: make, outputs: [x], when: [final]}\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("add versionScheme:"));
  }

  @Test
  void maintenanceLinesArePrefixes() throws Exception {
    assertThat(load("version: 3.12.9\nversionScheme: pep440\nmaintenanceLines: [\"3.12.*\", \"3.11.*\"]\n")
        .maintenanceLines()).containsExactly("3.12.*", "3.11.*");
    assertThat(errors("version: 3.12.9\nversionScheme: pep440\nmaintenanceLines: [\"3.12\"]\n")).singleElement()
        .satisfies(e -> assertThat(e.field()).isEqualTo("maintenanceLines[0]"));
    assertThat(errors("version: 3.12.9\nmaintenanceLines: [\"3.12.*\"]\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("need an order of versions"));
  }

  @Test
  void epochsAreVersionsUnderPep440Only() throws Exception {
    assertThat(load("version: 1!2.0\nversionScheme: pep440\n").version()).isEqualTo("1!2.0");
    assertThat(errors("version: 1!2.0\n")).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("version"));
  }
}
