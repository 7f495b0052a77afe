package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import java.time.Duration;
import java.util.Optional;

/**
 * The contract, run against the polling server with a 100 µs back-off, so that its idle loop does
 * not take a core from the 100 concurrent test clients on a small machine.
 */
class NonBlockingEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new NonBlockingEchoServer(Duration.ofNanos(100_000));
  }

  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new NonBlockingEchoServer(
            EchoServerSettings.DEFAULTS.withMaxConnections(limit), Duration.ofNanos(100_000)));
  }
}
