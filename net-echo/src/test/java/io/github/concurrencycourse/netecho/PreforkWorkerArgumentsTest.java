package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The command line a prefork parent gives its worker JVMs: what the worker cannot learn otherwise,
 * in the order {@link PreforkWorker} reads it.
 */
class PreforkWorkerArgumentsTest {

  private static final InetSocketAddress PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000);

  private static final EchoServerSettings SETTINGS =
      new EchoServerSettings(0, 7, Duration.ofSeconds(9), Duration.ofSeconds(2));

  @Test
  void nameTheAddressTheThreadsAndEverySettingTheWorkerApplies() {
    assertThat(PreforkWorker.arguments(PORT, false, SETTINGS))
        .containsExactly("127.0.0.1", "4000", "platform", "7", "9000", "2000");
  }

  @Test
  void askForVirtualThreadsWhenTheServerServesWithThem() {
    assertThat(PreforkWorker.arguments(PORT, true, SETTINGS).get(2)).isEqualTo("virtual");
  }
}
