package io.github.concurrencycourse.common.echo;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options of an echo server, one type for every model: what {@code course serve echo} passes to
 * an {@link EchoServerModel}, and what the servers that take options are built with.
 *
 * <p>Each option is 0 (or {@link Duration#ZERO}) for "the model's default": default workers, no
 * connection limit, no idle timeout, no grace period. A model honours every option it {@linkplain
 * #requireSupported supports} and refuses, when it is created, settings that give any other option
 * a value: an option is never silently ignored.
 *
 * <p>Immutable and thread-safe.
 *
 * @param workers how many workers serve connections (threads, event loops or processes), or 0 for
 *     the model's own default
 * @param maxConnections the most connections the server holds at once, or 0 for no limit. Beyond it
 *     the server stops accepting: a new client's connection is completed by the kernel and waits in
 *     the listen backlog, unserved, until a held connection ends. Nobody is refused.
 * @param idleTimeout a connection whose client sends nothing for this long is closed; {@link
 *     Duration#ZERO} for never
 * @param gracePeriod how long {@code close()} lets live connections finish after it has stopped
 *     accepting, before it closes them; {@link Duration#ZERO} to close them at once
 */
public record EchoServerSettings(
    int workers, int maxConnections, Duration idleTimeout, Duration gracePeriod) {

  /** An option a model may support; {@link #flag()} is its name on the command line. */
  public enum Option {
    /** {@link EchoServerSettings#workers()}. */
    WORKERS("--workers"),
    /** {@link EchoServerSettings#maxConnections()}. */
    MAX_CONNECTIONS("--max-connections"),
    /** {@link EchoServerSettings#idleTimeout()}. */
    IDLE_TIMEOUT("--idle-timeout"),
    /** {@link EchoServerSettings#gracePeriod()}. */
    GRACE_PERIOD("--grace-period");

    private final String flag;

    Option(String flag) {
      this.flag = flag;
    }

    /** The option's name on the command line, for example {@code --max-connections}. */
    public String flag() {
      return flag;
    }
  }

  /** Each model's defaults: default workers, no connection limit, no timeouts. */
  public static final EchoServerSettings DEFAULTS =
      new EchoServerSettings(0, 0, Duration.ZERO, Duration.ZERO);

  /**
   * Creates settings.
   *
   * @throws IllegalArgumentException if a number or a duration is negative, or the idle timeout is
   *     longer than {@link Integer#MAX_VALUE} milliseconds (a socket's read timeout cannot be
   *     longer)
   */
  public EchoServerSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
    if (maxConnections < 0) {
      throw new IllegalArgumentException("maxConnections must be >= 0, got " + maxConnections);
    }
    if (idleTimeout.isNegative()
        || idleTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(
          "idleTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, got " + idleTimeout);
    }
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative, got " + gracePeriod);
    }
  }

  /** Settings without a grace period. */
  public EchoServerSettings(int workers, int maxConnections, Duration idleTimeout) {
    this(workers, maxConnections, idleTimeout, Duration.ZERO);
  }

  /** These settings with another number of workers. */
  public EchoServerSettings withWorkers(int count) {
    return new EchoServerSettings(count, maxConnections, idleTimeout, gracePeriod);
  }

  /** These settings with another connection limit. */
  public EchoServerSettings withMaxConnections(int limit) {
    return new EchoServerSettings(workers, limit, idleTimeout, gracePeriod);
  }

  /** These settings with another idle timeout. */
  public EchoServerSettings withIdleTimeout(Duration timeout) {
    return new EchoServerSettings(workers, maxConnections, timeout, gracePeriod);
  }

  /** These settings with another grace period. */
  public EchoServerSettings withGracePeriod(Duration period) {
    return new EchoServerSettings(workers, maxConnections, idleTimeout, period);
  }

  /** {@link #workers()}, or {@code modelDefault} when it is 0. */
  public int workersOr(int modelDefault) {
    return workers == 0 ? modelDefault : workers;
  }

  /** The idle timeout as a socket read timeout in milliseconds: 0 for none, else at least 1. */
  public int idleTimeoutMillis() {
    return idleTimeout.isZero() ? 0 : (int) Math.max(1, idleTimeout.toMillis());
  }

  /** The options these settings give a value other than the default. */
  public Set<Option> given() {
    Set<Option> given = EnumSet.noneOf(Option.class);
    if (workers != 0) {
      given.add(Option.WORKERS);
    }
    if (maxConnections != 0) {
      given.add(Option.MAX_CONNECTIONS);
    }
    if (!idleTimeout.isZero()) {
      given.add(Option.IDLE_TIMEOUT);
    }
    if (!gracePeriod.isZero()) {
      given.add(Option.GRACE_PERIOD);
    }
    return given;
  }

  /**
   * Checks that these settings give a value only to options in {@code supported}, for the server
   * model called {@code model}.
   *
   * @return these settings
   * @throws IllegalArgumentException naming the model and the first unsupported option, and the
   *     options the model does support
   */
  public EchoServerSettings requireSupported(String model, Set<Option> supported) {
    for (Option option : given()) {
      if (!supported.contains(option)) {
        throw new IllegalArgumentException(
            "the "
                + model
                + " echo server does not support "
                + option.flag()
                + "; it supports "
                + (supported.isEmpty()
                    ? "no option"
                    : supported.stream()
                        .sorted()
                        .map(Option::flag)
                        .collect(Collectors.joining(", "))));
      }
    }
    return this;
  }
}
