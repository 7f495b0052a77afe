package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The options every server of this module understands.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxConnections the most connections the server holds at once (served or, for the pooled
 *     server, waiting for a worker), or 0 for no limit. Beyond it the server stops accepting: a new
 *     client's connection is completed by the kernel and waits in the listen backlog, unserved,
 *     until a held connection ends. Nobody is refused.
 * @param idleTimeout a connection whose client sends nothing for this long is closed; {@link
 *     Duration#ZERO} for never
 * @param gracePeriod how long {@link BlockingEchoServer#close()} lets live connections finish after
 *     it has stopped accepting, before it closes them; {@link Duration#ZERO} to close them at once
 */
public record EchoServerOptions(int maxConnections, Duration idleTimeout, Duration gracePeriod) {

  /** No connection limit, no idle timeout, live connections closed at once on close. */
  public static final EchoServerOptions DEFAULTS =
      new EchoServerOptions(0, Duration.ZERO, Duration.ZERO);

  /**
   * Creates options.
   *
   * @throws IllegalArgumentException if a number is negative, or the idle timeout is longer than
   *     {@link Integer#MAX_VALUE} milliseconds (a socket's read timeout cannot be longer)
   */
  public EchoServerOptions {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (maxConnections < 0) {
      throw new IllegalArgumentException("maxConnections must be >= 0, got " + maxConnections);
    }
    if (idleTimeout.isNegative() || idleTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "idleTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, got " + idleTimeout);
    }
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative, got " + gracePeriod);
    }
  }

  /** The connection limit and idle timeout of {@code settings}; no grace period. */
  public static EchoServerOptions from(EchoServerSettings settings) {
    return new EchoServerOptions(settings.maxConnections(), settings.idleTimeout(), Duration.ZERO);
  }

  /** These options with another connection limit. */
  public EchoServerOptions withMaxConnections(int limit) {
    return new EchoServerOptions(limit, idleTimeout, gracePeriod);
  }

  /** These options with another idle timeout. */
  public EchoServerOptions withIdleTimeout(Duration timeout) {
    return new EchoServerOptions(maxConnections, timeout, gracePeriod);
  }

  /** These options with another grace period. */
  public EchoServerOptions withGracePeriod(Duration period) {
    return new EchoServerOptions(maxConnections, idleTimeout, period);
  }

  /** The idle timeout as a socket read timeout: 0 means none, as for {@code setSoTimeout}. */
  int idleTimeoutMillis() {
    return idleTimeout.isZero() ? 0 : (int) Math.max(1, idleTimeout.toMillis());
  }
}
