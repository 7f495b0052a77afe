package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import io.github.concurrencycourse.testkit.SharedThreads;
import java.util.Optional;

/**
 * The contract, run against Netty on one transport, and on that transport only: where the system
 * refuses it, every test is skipped with the reason Netty gives ({@link
 * NettyTransport#unavailabilityCause()}), rather than run on the fallback {@link NettyEchoServer}
 * would pick, which another subclass tests already.
 */
abstract class NettyEchoServerContract extends EchoServerContract {

  /** The transport under test. */
  abstract NettyTransport transport();

  @Override
  protected final EchoServer newServer() {
    return onTheTransport(EchoServerSettings.DEFAULTS.withWorkers(2));
  }

  @Override
  protected final Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        onTheTransport(EchoServerSettings.DEFAULTS.withWorkers(2).withMaxConnections(limit)));
  }

  @Override
  protected final boolean isSharedThread(String threadName) {
    return SharedThreads.isShared(threadName);
  }

  private NettyEchoServer onTheTransport(EchoServerSettings settings) {
    assumeTrue(
        transport().isAvailable(),
        () ->
            "Netty's "
                + transport().id()
                + " transport is not available here: "
                + transport().unavailabilityCause().map(String::valueOf).orElse("no cause given"));
    NettyEchoServer server = new NettyEchoServer(transport(), settings);
    assertThat(server.transport()).as("the transport the server runs on").isEqualTo(transport());
    return server;
  }
}
