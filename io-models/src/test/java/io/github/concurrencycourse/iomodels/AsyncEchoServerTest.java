package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;

/** The contract, run against the asynchronous-channel server with small buffers. */
class AsyncEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new AsyncEchoServer(2, 1024);
  }
}
