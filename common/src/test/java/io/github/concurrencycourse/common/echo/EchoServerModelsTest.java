package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EchoServerModelsTest {

  /** A model that is never asked to build a server. */
  private record NamedModel(String name) implements EchoServerModel {
    @Override
    public String description() {
      return "a model called " + name;
    }

    @Override
    public Set<EchoServerSettings.Option> supportedOptions() {
      return Set.of();
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      throw new UnsupportedOperationException("not needed by these tests");
    }
  }

  @Test
  void listsModelsByNameAndFindsThem() {
    EchoServerModels models =
        EchoServerModels.of(
            List.of(
                new NamedModel("virtual"), new NamedModel("netty-nio"), new NamedModel("pool")));

    assertThat(models.all())
        .extracting(EchoServerModel::name)
        .containsExactly("netty-nio", "pool", "virtual");
    assertThat(models.find("pool")).get().extracting(EchoServerModel::name).isEqualTo("pool");
    assertThat(models.find("prefork")).isEmpty();
  }

  @Test
  void rejectsDuplicateAndMalformedNames() {
    assertThatThrownBy(
            () -> EchoServerModels.of(List.of(new NamedModel("pool"), new NamedModel("pool"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("duplicate echo server model name 'pool'");
    assertThatThrownBy(() -> EchoServerModels.of(List.of(new NamedModel("Pool Server"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("malformed name");
  }

  @Test
  void settingsRejectNegativeNumbersAndFallBackToModelDefaults() {
    assertThat(EchoServerSettings.DEFAULTS.workersOr(3)).isEqualTo(3);
    assertThat(new EchoServerSettings(5, 0, Duration.ZERO).workersOr(3)).isEqualTo(5);
    assertThatThrownBy(() -> new EchoServerSettings(-1, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EchoServerSettings(0, -1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EchoServerSettings(0, 0, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
