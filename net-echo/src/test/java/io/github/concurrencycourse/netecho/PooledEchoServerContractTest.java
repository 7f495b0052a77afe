package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;

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
}
