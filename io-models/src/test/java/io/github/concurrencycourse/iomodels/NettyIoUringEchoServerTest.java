package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.EchoServerContract;
import io.github.concurrencycourse.testkit.SharedThreads;

/**
 * The contract, run against Netty on the IO_URING transport (or its fallback, which the log names).
 */
class NettyIoUringEchoServerTest extends EchoServerContract {

  @Override
  protected EchoServer newServer() {
    return new NettyEchoServer(NettyTransport.IO_URING, 2);
  }

  @Override
  protected boolean isSharedThread(String threadName) {
    return SharedThreads.isShared(threadName);
  }
}
