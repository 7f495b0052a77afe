package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;

/**
 * The contract, run against a blocking server with three threads. The contract itself needs three
 * clients served at once ({@code closeEndsEveryLiveConnection} talks to three open connections, and
 * the fault tests keep a bystander connected beside the faulty client), which the pure one-thread
 * form cannot do by design; {@link BlockingEchoServerOneClientTest} proves that form serves exactly
 * one client at a time.
 */
class BlockingEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new BlockingEchoServer(3);
  }

  @Override
  protected int concurrentClients() {
    return 3;
  }
}
