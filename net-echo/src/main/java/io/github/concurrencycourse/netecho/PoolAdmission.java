package io.github.concurrencycourse.netecho;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PooledEchoServer} does with a client that connects while every worker is busy.
 *
 * <p>Immutable and thread-safe.
 */
public final class PoolAdmission {

  private static final PoolAdmission WAIT_IN_LINE = new PoolAdmission(null);

  private final Duration refuseAfter;

  private PoolAdmission(Duration refuseAfter) {
    this.refuseAfter = refuseAfter;
  }

  /**
   * The seed's behaviour: the client is connected and waits, unserved, for as long as it takes a
   * worker to become free.
   */
  public static PoolAdmission waitInLine() {
    return WAIT_IN_LINE;
  }

  /**
   * The client waits for a worker for at most {@code timeout}; then it receives one line saying why
   * it is refused, and the server closes the connection.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public static PoolAdmission refuseAfter(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (!timeout.isPositive()) {
      throw new IllegalArgumentException("the refusal timeout must be positive, got " + timeout);
    }
    return new PoolAdmission(timeout);
  }

  /** How long a client may wait before it is refused; empty when it waits for ever. */
  public Optional<Duration> refusalTimeout() {
    return Optional.ofNullable(refuseAfter);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PoolAdmission that && Objects.equals(refuseAfter, that.refuseAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(refuseAfter);
  }

  @Override
  public String toString() {
    return refuseAfter == null ? "wait in line" : "refuse after " + refuseAfter;
  }
}
