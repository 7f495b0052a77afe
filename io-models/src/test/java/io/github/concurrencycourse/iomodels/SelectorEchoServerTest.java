package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;

/** The contract, run against a selector server with two event loops and small buffers. */
class SelectorEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new SelectorEchoServer(2, 1024);
  }
}
