package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import java.util.Optional;

/** The seed's pool of three, {@link PooledEchoServer}, meets the echo server contract. */
class PooledEchoServerContractTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new PooledEchoServer();
  }

  @Override
  protected int concurrentClients() {
    return PooledEchoServer.SEED_POOL_SIZE;
  }

  /** The pool has a worker for every connection it may hold, so each of them is served at once. */
  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new PooledEchoServer(
            EchoServerSettings.DEFAULTS
                .withMaxConnections(limit)
                .withWorkers(Math.max(limit, PooledEchoServer.SEED_POOL_SIZE)),
            PoolAdmission.waitInLine()));
  }
}
