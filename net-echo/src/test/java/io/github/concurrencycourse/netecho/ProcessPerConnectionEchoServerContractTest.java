package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoServerContract;
import io.github.concurrencycourse.testkit.SharedThreads;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProcessPerConnectionEchoServer} meets the echo server contract with a child JVM per
 * connection, at most {@value #CLIENTS} at once: the contract's concurrent clients are served by
 * that many JVMs side by side, and its client beyond them waits until one leaves.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPerConnectionEchoServerContractTest extends EchoServerContract {

  /** Enough JVMs at once to show them served side by side, few enough for a busy 2-core machine. */
  private static final int CLIENTS = 6;

  @Override
  protected EchoServer newServer() {
    return new ProcessPerConnectionEchoServer(
        EchoServerSettings.DEFAULTS.withMaxConnections(CLIENTS),
        new ProcessPerConnectionEchoServer.Listener() {});
  }

  @Override
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
    return Optional.of(
        new ProcessPerConnectionEchoServer(
            EchoServerSettings.DEFAULTS.withMaxConnections(limit),
            new ProcessPerConnectionEchoServer.Listener() {}));
  }

  @Override
  protected int concurrentClients() {
    return CLIENTS;
  }

  /** Every connection waits for a JVM to start before its first reply. */
  @Override
  protected Duration replyTimeout() {
    return Duration.ofSeconds(30);
  }

  @Override
  protected boolean isSharedThread(String threadName) {
    return SharedThreads.isShared(threadName);
  }
}
