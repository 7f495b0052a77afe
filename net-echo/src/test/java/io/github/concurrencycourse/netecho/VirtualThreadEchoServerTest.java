package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import java.util.Optional;

/** {@link VirtualThreadEchoServer} meets the echo server contract. */
class VirtualThreadEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new VirtualThreadEchoServer();
  }

  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new VirtualThreadEchoServer(EchoServerSettings.DEFAULTS.withMaxConnections(limit)));
  }
}
