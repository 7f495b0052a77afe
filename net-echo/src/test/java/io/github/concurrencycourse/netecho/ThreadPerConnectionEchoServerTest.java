package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;

/** {@link ThreadPerConnectionEchoServer} meets the echo server contract. */
class ThreadPerConnectionEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new ThreadPerConnectionEchoServer();
  }
}
