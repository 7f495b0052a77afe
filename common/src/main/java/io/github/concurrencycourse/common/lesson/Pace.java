package io.github.concurrencycourse.common.lesson;

import java.time.Duration;

/**
 * The time scale of a lesson's demo sleeps.
 *
 * <p>The seed sleeps to make races and waits visible ({@code time.sleep(1)}); a lesson sleeps
 * through its {@code Pace} instead, so {@code ./course run} shows the seed's timing at {@link
 * #SEED} (1.0) while tests run the same code at 0.02 or less. A pace of 0 turns every sleep into a
 * no-op.
 *
 * <p>Immutable and thread-safe.
 *
 * @param factor multiplier applied to every seed duration; finite and not negative
 */
public record Pace(double factor) {

  /** The seed's own timing. */
  public static final Pace SEED = new Pace(1.0);

  /** The pace tests use by default: fifty times faster than the seed. */
  public static final Pace TEST = new Pace(0.02);

  /**
   * Creates a pace.
   *
   * @throws IllegalArgumentException if {@code factor} is negative, infinite or NaN
   */
  public Pace {
    if (!Double.isFinite(factor) || factor < 0) {
      throw new IllegalArgumentException("pace must be a finite number >= 0, got " + factor);
    }
  }

  /** Returns {@code seedTime} scaled by this pace, rounded to the nearest nanosecond. */
  public Duration scale(Duration seedTime) {
    if (seedTime.isNegative()) {
      throw new IllegalArgumentException("seed time must not be negative, got " + seedTime);
    }
    return Duration.ofNanos(Math.round(seedTime.toNanos() * factor));
  }

  /** Returns the scaled length of {@code seedSeconds} seconds of seed time. */
  public Duration seconds(double seedSeconds) {
    return scale(Duration.ofNanos(Math.round(seedSeconds * 1_000_000_000L)));
  }

  /**
   * Sleeps for {@code seedTime} scaled by this pace.
   *
   * @throws InterruptedException if the thread is interrupted while sleeping
   */
  public void sleep(Duration seedTime) throws InterruptedException {
    Duration scaled = scale(seedTime);
    if (scaled.isPositive()) {
      Thread.sleep(scaled);
    }
  }

  /**
   * Sleeps for {@code seedSeconds} seconds of seed time scaled by this pace, as the seed's {@code
   * time.sleep(seedSeconds)} does at pace 1.
   *
   * @throws InterruptedException if the thread is interrupted while sleeping
   */
  public void sleepSeconds(double seedSeconds) throws InterruptedException {
    sleep(Duration.ofNanos(Math.round(seedSeconds * 1_000_000_000L)));
  }
}
