package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;
import io.github.concurrencycourse.testkit.SharedThreads;

/** The contract, run against Netty on the NIO transport (or its fallback, which the log names). */
class NettyNioEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new NettyEchoServer(NettyTransport.NIO, 2);
  }

  @Override
  protected boolean isSharedThread(String threadName) {
    return SharedThreads.isShared(threadName);
  }
}
