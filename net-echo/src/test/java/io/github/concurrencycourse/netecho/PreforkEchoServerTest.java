package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import java.util.Optional;

/**
 * {@link PreforkEchoServer}, two worker JVMs on one port, meets the echo server contract. The
 * counts travel from the workers over a pipe, which the contract allows for.
 */
class PreforkEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new PreforkEchoServer();
  }

  /** One worker JVM, since each worker applies the limit to its own connections. */
  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new PreforkEchoServer(
            EchoServerSettings.DEFAULTS.withWorkers(1).withMaxConnections(limit),
            false,
            new PreforkEchoServer.Listener() {}));
  }
}
