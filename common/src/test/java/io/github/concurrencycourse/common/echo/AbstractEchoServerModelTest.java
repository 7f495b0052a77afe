package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
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
  }

  /** A model described by the test, whose servers are never created. */
  private static final class Described extends AbstractEchoServerModel {

    Described(String name, String description, Set<Option> supportedOptions) {
      super(name, description, supportedOptions);
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      throw new UnsupportedOperationException("not needed by the test");
    }
  }
}
