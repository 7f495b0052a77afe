package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import java.util.Optional;

/** The contract, run against a selector server with two event loops and small buffers. */
class SelectorEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new SelectorEchoServer(2, 1024);
  }

  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new SelectorEchoServer(
            EchoServerSettings.DEFAULTS.withWorkers(2).withMaxConnections(limit), 1024));
  }
}
