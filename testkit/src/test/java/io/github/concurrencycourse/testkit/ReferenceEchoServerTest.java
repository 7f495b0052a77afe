package io.github.concurrencycourse.testkit;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.ReferenceEchoServer.Defect;
import java.util.Optional;

/** The reference server meets the whole contract, its connection limit included. */
class ReferenceEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new ReferenceEchoServer();
  }

  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(new ReferenceEchoServer(Defect.NONE, limit));
  }
}
