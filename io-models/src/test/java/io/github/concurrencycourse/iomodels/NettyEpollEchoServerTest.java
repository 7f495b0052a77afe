package io.github.concurrencycourse.iomodels;

/** The contract, run against Netty on the EPOLL transport; skipped where the system refuses it. */
class NettyEpollEchoServerTest extends NettyEchoServerContract {

  @Override
  NettyTransport transport() {
    return NettyTransport.EPOLL;
  }
}
