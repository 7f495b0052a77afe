package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AbstractEchoServerModelTest {

  @Test
  void reportsWhatItWasConstructedWithAndKeepsItsOwnCopyOfTheOptions() {
    Set<Option> options = EnumSet.of(Option.WORKERS);
    EchoServerModel model = new Described("loop", "one loop", options);
    options.add(Option.GRACE_PERIOD);

    assertThat(model.name()).isEqualTo("loop");
    assertThat(model.description()).isEqualTo("one loop");
    assertThat(model.supportedOptions()).containsExactly(Option.WORKERS);
    assertThat(model).hasToString("loop");
  }

  @Test
  void rejectsAMissingPartNamingIt() {
    assertThatThrownBy(() -> new Described(null, "one loop", Set.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> new Described("loop", null, Set.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("description");
    assertThatThrownBy(() -> new Described("loop", "one loop", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new WithoutServers())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("servers");
  }

  @Test
  void createsEachServerWithTheConstructorItWasGivenAndTheSettingsItIsGiven() {
    EchoServerModel model = new Remembering();
    EchoServerSettings three = EchoServerSettings.DEFAULTS.withWorkers(3);

    try (EchoServer first = model.create(three);
        EchoServer second = model.create(EchoServerSettings.DEFAULTS)) {
      assertThat(first).isNotSameAs(second);
      assertThat(((Unstarted) first).settings).isSameAs(three);
      assertThat(((Unstarted) second).settings).isSameAs(EchoServerSettings.DEFAULTS);
    }
  }

  /** A model described by the test, whose servers are never created. */
  private static final class Described extends AbstractEchoServerModel {

    Described(String name, String description, Set<Option> supportedOptions) {
      super(
          name,
          description,
          supportedOptions,
          settings -> {
            throw new UnsupportedOperationException("not needed by the test");
          });
    }
  }

  /** A model whose servers remember their settings. */
  private static final class Remembering extends AbstractEchoServerModel {
    Remembering() {
      super("remembering", "servers that remember their settings", Set.of(), Unstarted::new);
    }
  }

  /** A model missing its server constructor. */
  private static final class WithoutServers extends AbstractEchoServerModel {
    WithoutServers() {
      super("none", "no servers", Set.of(), null);
    }
  }

  /** A server that is never started, keeping the settings it was created with. */
  private static final class Unstarted extends AbstractEchoServer {
    final EchoServerSettings settings;

    Unstarted(EchoServerSettings settings) {
      this.settings = settings;
    }

    @Override
    protected InetSocketAddress bind(InetSocketAddress endpoint) {
      throw new UnsupportedOperationException("never started");
    }

    @Override
    protected void release() {}
  }
}
