package io.github.concurrencycourse.iomodels;

/** The contract, run against Netty on the NIO transport; skipped where the system refuses it. */
class NettyNioEchoServerTest extends NettyEchoServerContract {

  @Override
  NettyTransport transport() {
    return NettyTransport.NIO;
  }
}
