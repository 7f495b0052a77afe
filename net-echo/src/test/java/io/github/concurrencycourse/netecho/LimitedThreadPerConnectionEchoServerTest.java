package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import java.util.Optional;

/**
 * A thread-per-connection server limited to five connections meets the contract with five
 * concurrent clients: the sixth waits in the backlog until one leaves.
 */
class LimitedThreadPerConnectionEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new ThreadPerConnectionEchoServer(EchoServerSettings.DEFAULTS.withMaxConnections(5));
  }

  @Override
  protected int concurrentClients() {
    return 5;
  }

  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new ThreadPerConnectionEchoServer(EchoServerSettings.DEFAULTS.withMaxConnections(limit)));
  }
}
