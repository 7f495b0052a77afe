package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import java.util.Optional;

/** {@link ThreadPerConnectionEchoServer} meets the echo server contract. */
class ThreadPerConnectionEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new ThreadPerConnectionEchoServer();
  }

  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new ThreadPerConnectionEchoServer(EchoServerSettings.DEFAULTS.withMaxConnections(limit)));
  }
}
