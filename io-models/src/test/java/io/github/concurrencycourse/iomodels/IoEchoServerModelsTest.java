package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class IoEchoServerModelsTest {

  private static final String[] NAMES = IoModels.names().toArray(String[]::new);

  @Test
  void everyModelOfThisModuleIsRegistered() {
    assertThat(EchoServerModels.load().all()).extracting(EchoServerModel::name).contains(NAMES);
  }

  @Test
  void everyModelCreatesAServerThatEchoes() throws Exception {
    EchoServerModels models = EchoServerModels.load();
    for (String name : NAMES) {
      EchoServerModel model = models.find(name).orElseThrow();
      try (EchoServer server = model.create(EchoServerSettings.DEFAULTS)) {
        server.start(0);
        try (EchoClient client =
            EchoClient.connect(server.address(), Duration.ofSeconds(10), Duration.ofSeconds(10))) {
          assertThat(client.exchange("hello " + name))
              .isEqualTo("HELLO " + name.toUpperCase(Locale.ROOT));
        }
      }
    }
  }

  @Test
  void theNonBlockingModelRefusesMoreThanOneThread() {
    EchoServerModel model = EchoServerModels.load().find("non-blocking").orElseThrow();

    assertThatThrownBy(() -> model.create(new EchoServerSettings(4, 0, Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one polling thread");
  }
}
