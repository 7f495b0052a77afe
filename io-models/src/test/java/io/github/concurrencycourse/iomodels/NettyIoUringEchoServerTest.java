package io.github.concurrencycourse.iomodels;

/**
 * The contract, run against Netty on the IO_URING transport; skipped where the system refuses it.
 */
class NettyIoUringEchoServerTest extends NettyEchoServerContract {

  @Override
  NettyTransport transport() {
    return NettyTransport.IO_URING;
  }
}
