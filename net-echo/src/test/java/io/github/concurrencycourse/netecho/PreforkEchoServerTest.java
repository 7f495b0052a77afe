package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;

/**
 * {@link PreforkEchoServer}, two worker JVMs on one port, meets the echo server contract. The
 * counts travel from the workers over a pipe, which the contract allows for.
 */
class PreforkEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new PreforkEchoServer();
  }
}
