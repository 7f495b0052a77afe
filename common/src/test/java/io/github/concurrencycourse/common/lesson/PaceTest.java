package io.github.concurrencycourse.common.lesson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PaceTest {

  @Test
  void seedPaceKeepsTheSeedsTiming() {
    assertThat(Pace.SEED.seconds(5)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void testPaceScalesEverySleepByItsFactor() {
    assertThat(Pace.TEST.seconds(1)).isEqualTo(Duration.ofMillis(20));
    assertThat(new Pace(0.5).scale(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(150));
  }

  @Test
  void zeroPaceTurnsSleepsIntoNoOps() throws InterruptedException {
    long start = System.nanoTime();
    new Pace(0).sleepSeconds(3600);
    // Far from the hour a real sleep would take, however busy the machine.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void sleepLastsAtLeastTheScaledTime() throws InterruptedException {
    long start = System.nanoTime();
    new Pace(0.01).sleepSeconds(5);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }

  @Test
  void rejectsNegativeAndNonFiniteFactors() {
    assertThatThrownBy(() -> new Pace(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pace(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pace(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNegativeSeedTimes() {
    assertThatThrownBy(() -> Pace.SEED.scale(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
