package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;

/** {@link VirtualThreadEchoServer} meets the echo server contract. */
class VirtualThreadEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new VirtualThreadEchoServer();
  }
}
