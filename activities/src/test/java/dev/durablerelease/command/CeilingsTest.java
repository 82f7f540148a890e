package dev.durablerelease.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.spec.LimitsSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The check the build and docs workers make before any build work, and again before a command runs. */
class CeilingsTest {
  private final Ceilings ceilings = new Ceilings(2 * Limits.GIB, 100, 1536 * Limits.MIB, 64 * Limits.MIB,
      4 * Limits.GIB);

  @Test
  void everyLimitAboveItsCeilingIsNamedWithWhatWasAskedAndTheCeiling() {
    assertThat(ceilings.exceededBy(new LimitsSpec("3GiB", 101, "2GiB", "65MiB", "5GiB"))).containsExactly(
        "memory 3GiB is above the ceiling of 2GiB", "processes 101 is above the ceiling of 100",
        "fileSize 2GiB is above the ceiling of 1536MiB", "tmp 65MiB is above the ceiling of 64MiB",
        "disk 5GiB is above the ceiling of 4GiB");
    assertThat(ceilings.exceededBy(new LimitsSpec("2GiB", 100, "1536MiB", "64MiB", "4GiB"))).isEmpty();
    assertThat(ceilings.exceededBy(new LimitsSpec(null, null, null, null, "4294967297"))).containsExactly(
        "disk 4294967297 is above the ceiling of 4GiB");
    assertThat(ceilings.exceededBy(null)).isEmpty();
  }

  @Test
  void defaultsAboveACeilingAreLoweredToIt() {
    Limits defaults = Limits.forTime(Duration.ofMinutes(1));
    assertThat(ceilings.lower(defaults)).isEqualTo(new Limits(defaults.time(), defaults.cpu(), Limits.GIB,
        2 * Limits.GIB, 100, 64 * Limits.MIB, 4 * Limits.GIB));
    assertThat(Ceilings.DEFAULTS.lower(defaults)).isEqualTo(defaults);
  }
}
