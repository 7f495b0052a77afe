package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;

/** The {@link IoStatistics} of the servers that keep them, for tests that take any model. */
final class ServerStatistics {

  private ServerStatistics() {}

  /**
   * The statistics of {@code server}.
   *
   * @throws IllegalArgumentException if the server keeps none
   */
  static IoStatistics of(EchoServer server) {
    return switch (server) {
      case SelectorEchoServer selector -> selector.statistics();
      case AsyncEchoServer async -> async.statistics();
      default -> throw new IllegalArgumentException("no statistics for " + server);
    };
  }
}
