package io.github.concurrencycourse.common.echo;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs every echo server model understands, as {@code course serve echo} passes them. A model
 * reads the ones that mean something to it and documents how; the others it ignores.
 *
 * <p>Immutable and thread-safe.
 *
 * @param workers how many workers serve connections (threads, event loops or processes), or 0 for
 *     the model's own default
 * @param maxConnections the most connections served at once, or 0 for no limit beyond the model's
 * @param idleTimeout a connection silent for this long is closed; {@link Duration#ZERO} for never
 */
public record EchoServerSettings(int workers, int maxConnections, Duration idleTimeout) {

  /** Each model's defaults: default workers, no connection limit, no idle timeout. */
  public static final EchoServerSettings DEFAULTS = new EchoServerSettings(0, 0, Duration.ZERO);

  /**
   * Creates settings.
   *
   * @throws IllegalArgumentException if a number is negative
   */
  public EchoServerSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
    if (maxConnections < 0) {
      throw new IllegalArgumentException("maxConnections must be >= 0, got " + maxConnections);
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative, got " + idleTimeout);
    }
  }

  /** {@link #workers()}, or {@code modelDefault} when it is 0. */
  public int workersOr(int modelDefault) {
    return workers == 0 ? modelDefault : workers;
  }
}
