package dev.durablerelease.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablerelease.spec.VersionFacts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each scheme against its specification's own examples: normal forms, invalid texts and order. */
class VersionSchemesTest {

  /** PEP 440's "Normalization" section, one example (or more) per rule. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1.1RC1|1.1rc1",               // case sensitivity
      "00|0", "09000|9000",          // integer normalization
      "1.1.a1|1.1a1", "1.1-a1|1.1a1", "1.1_a1|1.1a1", "1.0a.1|1.0a1", // pre-release separators
      "1.1alpha1|1.1a1", "1.1beta2|1.1b2", "1.1c3|1.1rc3", "1.1pre4|1.1rc4", "1.1preview5|1.1rc5", // spelling
      "1.2a|1.2a0",                  // implicit pre-release number
      "1.2-post2|1.2.post2", "1.2post2|1.2.post2", "1.2.post-2|1.2.post2", // post release separators
      "1.0-r4|1.0.post4", "1.0-rev4|1.0.post4", // post release spelling
      "1.2.post|1.2.post0",          // implicit post release number
      "1.0-1|1.0.post1",             // implicit post releases
      "1.2-dev2|1.2.dev2", "1.2dev2|1.2.dev2", // development release separators
      "1.2.dev|1.2.dev0",            // implicit development release number
      "1.0+ubuntu-1|1.0+ubuntu.1", "1.0+ABC_5|1.0+abc.5", // local version segments
      "v1.0|1.0",                    // preceding v character
      "'  1.0\t'|1.0",               // leading and trailing whitespace
      "0!1.0|1.0", "1!2.0|1!2.0",    // epochs (0 is the default)
      "3.14.0RC1|3.14.0rc1"})
  void pep440NormalisesAsTheSpecificationSays(String text, String normal) throws Exception {
    assertThat(Versions.facts("pep440", null, text).normalized()).isEqualTo(normal);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0-", "1.0.", "1..0", "a1", "1.0+", "1.0+a..b", "1.0 a1", "1.0post1dev1x", "1.0.rc.1.2"})
  void pep440RefusesWhatItsGrammarDoesNot(String text) {
    assertThatThrownBy(() -> Versions.parse("pep440", null, text))
        .isInstanceOf(InvalidVersionException.class)
        .hasMessageContaining("is not a PEP 440 version").hasMessageContaining("[.postN][.devN]");
  }

  /** PEP 440's "Summary of permitted suffixes and relative ordering", in its order. */
  @Test
  void pep440OrdersItsOwnExample() throws Exception {
    assertOrdered("pep440", null, "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
        "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0",
        "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1");
    assertThat(Versions.parse("pep440", null, "1.0").compareTo(Versions.parse("pep440", null, "1.0.0"))).isZero();
    assertThat(Versions.parse("pep440", null, "1!1.0").compareTo(Versions.parse("pep440", null, "2.0"))).isPositive();
  }

  @Test
  void pep440Levels() throws Exception {
    assertFacts("pep440", null, "3.14.0a1", "alpha", true, "a1");
    assertFacts("pep440", null, "3.14.0b2", "beta", true, "b2");
    assertFacts("pep440", null, "3.14.0rc1", "rc", true, "rc1");
    assertFacts("pep440", null, "3.14.0", "final", false, "");
    assertFacts("pep440", null, "3.14.0.post1", "post", false, "");
    assertFacts("pep440", null, "3.14.0a1.dev2", "dev", true, "a1.dev2");
    VersionFacts facts = Versions.facts("pep440", null, "3.14");
    assertThat(List.of(facts.major(), facts.minor(), facts.micro(), facts.series()))
        .containsExactly("3", "14", "0", "3.14");
  }

  /** SemVer 2.0.0, rule 11: "1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < …". */
  @Test
  void semverOrdersItsPrecedenceExample() throws Exception {
    assertOrdered("semver", null, "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
        "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
    // rule 11's first example, and rule 10: build metadata does not count
    assertOrdered("semver", null, "1.0.0", "2.0.0", "2.1.0", "2.1.1");
    assertThat(Versions.parse("semver", null, "1.0.0+b1").compareTo(Versions.parse("semver", null, "1.0.0+b2")))
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"01.0.0", "1.0.0-01", "1.0", "v1.0.0", "1.0.0-", "1.0.0+", "1.0.0-alpha..1", "1.0.0-al_pha"})
  void semverRefusesWhatItsRulesDo(String text) {
    assertThatThrownBy(() -> Versions.parse("semver", null, text))
        .isInstanceOf(InvalidVersionException.class).hasMessageContaining("is not a SemVer 2.0.0 version");
  }

  @Test
  void semverLevels() throws Exception {
    assertFacts("semver", null, "2.0.0-alpha.1", "alpha", true, "alpha.1");
    assertFacts("semver", null, "2.0.0-beta", "beta", true, "beta");
    assertFacts("semver", null, "2.0.0-rc.1", "rc", true, "rc.1");
    assertFacts("semver", null, "2.0.0-SNAPSHOT", "dev", true, "SNAPSHOT");
    assertFacts("semver", null, "2.0.0+build.5", "final", false, "");
    assertThat(Versions.facts("semver", null, "2.10.3").series()).isEqualTo("2.10");
  }

  /** calver.org's examples: Ubuntu (YY.0M), Twisted (YY.MM.MICRO), youtube-dl (YYYY.0M.0D), pip (YY.MINOR.MICRO). */
  @ParameterizedTest(name = "{1} in {0}")
  @CsvSource({"YY.0M,16.04", "YY.MM.MICRO,17.5.0", "YYYY.0M.0D,2016.06.19", "YY.MINOR.MICRO,19.2.3",
      "YYYY.0M.MICRO,2024.01.2-rc1"})
  void calverParsesTheConventionsExamples(String pattern, String text) throws Exception {
    assertThat(Versions.calendarPatternProblem(pattern)).isNull();
    assertThat(Versions.facts("calver", pattern, text).normalized()).isEqualTo(text);
  }

  @ParameterizedTest(name = "{1} in {0}")
  @CsvSource({"YY.0M,16.4", "YY.0M,16.13", "YYYY.0M.0D,2016.6.19", "YYYY.0M.0D,2016.06.32", "YY.MM.MICRO,17.05.0",
      "YYYY.MINOR,16.1", "YYYY.MINOR,2016.1.1"})
  void calverRefusesWhatItsPatternDoesNot(String pattern, String text) {
    assertThatThrownBy(() -> Versions.parse("calver", pattern, text))
        .isInstanceOf(InvalidVersionException.class).hasMessageContaining("does not follow the calendar pattern "
            + pattern);
  }

  @Test
  void calverOrdersByDateThenModifier() throws Exception {
    assertOrdered("calver", "YY.0M", "16.04", "16.10", "17.04");
    assertOrdered("calver", "YYYY.0M.MICRO", "2024.01.2-dev", "2024.01.2-a1", "2024.01.2-rc1", "2024.01.2-rc2",
        "2024.01.2", "2024.01.2-post1", "2024.01.10", "2024.12.0");
    assertFacts("calver", "YYYY.0M.MICRO", "2024.01.2-rc1", "rc", true, "rc1");
    assertThat(Versions.facts("calver", "YYYY.0M.MICRO", "2024.01.2").series()).isEqualTo("2024.01");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "YYYY.Q.MICRO", "MAJOR.MINOR", "YYYY.YYYY", "YYYY..MM"})
  void calverPatternsAreTheConventionsTokens(String pattern) {
    assertThat(Versions.calendarPatternProblem(pattern)).isNotNull();
  }

  @Test
  void maintenanceLinesArePrefixesOfTheReleaseNumbers() throws Exception {
    assertThat(Versions.parse("pep440", null, "3.12.5").inLine("3.12.*")).isTrue();
    assertThat(Versions.parse("pep440", null, "3.12").inLine("3.12.*")).isTrue();
    assertThat(Versions.parse("pep440", null, "3.13.0").inLine("3.12.*")).isFalse();
    assertThat(Versions.parse("pep440", null, "3.120.0").inLine("3.12.*")).isFalse();
    assertThat(Versions.parse("semver", null, "1.4.2-rc.1").inLine("1.*")).isTrue();
    assertThat(Versions.isMaintenanceLine("3.12.*")).isTrue();
    assertThat(Versions.isMaintenanceLine("3.12")).isFalse();
    assertThat(Versions.isMaintenanceLine("3.*.1")).isFalse();
  }

  @Test
  void noSchemeMeansText() throws Exception {
    VersionFacts facts = Versions.facts("none", null, "2.0.0-rc1");
    assertThat(facts.level()).isNull();
    assertThat(facts.prerelease()).isFalse();
    assertThat(facts.normalized()).isEqualTo("2.0.0-rc1");
  }

  /** Shuffled, then sorted: the scheme's order must give back the specification's. */
  private static void assertOrdered(String scheme, String pattern, String... texts) throws Exception {
    List<SchemeVersion> versions = new ArrayList<>();
    for (String text : texts) {
      versions.add(Versions.parse(scheme, pattern, text));
    }
    for (int i = 0; i + 1 < versions.size(); i++) {
      assertThat(versions.get(i).compareTo(versions.get(i + 1))).as(texts[i] + " < " + texts[i + 1]).isNegative();
      assertThat(versions.get(i + 1).compareTo(versions.get(i))).as(texts[i + 1] + " > " + texts[i]).isPositive();
    }
    List<SchemeVersion> shuffled = new ArrayList<>(versions);
    Collections.shuffle(shuffled, new Random(440));
    Collections.sort(shuffled);
    assertThat(shuffled.stream().map(Object::toString)).containsExactly(texts);
  }

  private static void assertFacts(String scheme, String pattern, String text, String level, boolean prerelease,
      String label) throws Exception {
    VersionFacts facts = Versions.facts(scheme, pattern, text);
    assertThat(facts.level()).as(text).isEqualTo(level);
    assertThat(facts.prerelease()).as(text).isEqualTo(prerelease);
    assertThat(facts.prereleaseLabel()).as(text).isEqualTo(label);
  }
}
