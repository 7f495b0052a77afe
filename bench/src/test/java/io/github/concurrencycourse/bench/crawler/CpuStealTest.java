package io.github.concurrencycourse.bench.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuStealTest {

  private static final String BEFORE =
      """
      cpu  1000 10 500 8000 40 0 30 20 0 0
      cpu0 500 5 250 4000 20 0 15 10 0 0
      intr 12345 0 0
      """;

  private static final String AFTER =
      """
      cpu  1100 10 550 8200 40 0 30 70 0 0
      cpu0 550 5 275 4100 20 0 15 35 0 0
      intr 12400 0 0
      """;

  @Test
  void readsTheAggregateLineNotAPerCpuLine() {
    assertThat(CpuSteal.parse(BEFORE))
        .contains(new CpuSteal(20, 1000 + 10 + 500 + 8000 + 40 + 30 + 20));
  }

  @Test
  void theStolenFractionIsStealOverAllTimeBetweenTwoReadings() {
    CpuSteal before = CpuSteal.parse(BEFORE).orElseThrow();
    CpuSteal after = CpuSteal.parse(AFTER).orElseThrow();

    // 100 user + 50 system + 200 idle + 50 steal ticks passed; 50 of 400 were stolen.
    assertThat(after.fractionSince(before)).isCloseTo(0.125, within(1e-9));
    assertThat(before.fractionSince(before)).isZero();
  }

  @Test
  void aSystemWithoutStealCountersGivesNothing() {
    assertThat(CpuSteal.parse("cpu  1000 10 500 8000 40 0 30\n")).isEqualTo(Optional.empty());
    assertThat(CpuSteal.parse("cpu  1000 x 500 8000 40 0 30 20\n")).isEqualTo(Optional.empty());
    assertThat(CpuSteal.parse("")).isEqualTo(Optional.empty());
  }
}
