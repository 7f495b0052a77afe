package io.github.concurrencycourse.common.tickets;

import java.time.Duration;

/**
 * A point where {@link TicketStore} waits: the buyer's "think" time, and the instant between a
 * fully written temporary file and its rename. Tests put a barrier or a stop there to make races
 * and crashes happen where they want them, rather than where luck puts them.
 */
@FunctionalInterface
interface Pause {

  /** No pause at all. */
  Pause NONE = () -> {};

  void pause() throws InterruptedException;

  /** A pause that sleeps for {@code time}; none when it is zero. */
  static Pause sleeping(Duration time) {
    if (time.isNegative()) {
      throw new IllegalArgumentException("think time must not be negative, got " + time);
    }
    return time.isZero() ? NONE : () -> Thread.sleep(time);
  }
}
