package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import java.util.Optional;

/** The contract, run against the asynchronous-channel server with small buffers. */
class AsyncEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new AsyncEchoServer(2, 1024);
  }

  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new AsyncEchoServer(
            EchoServerSettings.DEFAULTS.withWorkers(2).withMaxConnections(limit), 1024));
  }
}
