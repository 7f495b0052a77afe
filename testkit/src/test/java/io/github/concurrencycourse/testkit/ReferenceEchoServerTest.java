package io.github.concurrencycourse.testkit;

import io.github.concurrencycourse.common.echo.EchoServer;

/** The reference server meets the whole contract. */
class ReferenceEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new ReferenceEchoServer();
  }
}
