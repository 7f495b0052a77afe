package io.github.concurrencycourse.common.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

  /** A provider known by its name. */
  record Named(String name) {}

  /** A registry of named providers, ranked by the length of their names alone. */
  private static final class ByName extends ProviderRegistry<Named> {
    ByName(List<Named> providers) {
      super(
          new Key<>("thing", "name", Named::name, Pattern.compile("[a-z]+"), "lower-case letters"),
          providers,
          Comparator.comparingInt(named -> named.name().length()));
    }
  }

  @Test
  void listsInItsOrderKeepingTheGivenOrderOfProvidersRankedEqualAndFindsByKey() {
    Named beta = new Named("beta");
    Named alpha = new Named("alpha");
    Named gamma = new Named("gamma");
    Named pi = new Named("pi");

    ByName registry = new ByName(List.of(gamma, beta, alpha, pi));

    assertThat(registry.all()).containsExactly(pi, beta, gamma, alpha);
    assertThat(registry.find("alpha")).contains(alpha);
    assertThat(registry.find("delta")).isEmpty();
    assertThat(registry.find(null)).isEmpty();
  }

  @Test
  void rejectsAMalformedKeyNamingTheProviderAndTheExpectedForm() {
    assertThatThrownBy(() -> new ByName(List.of(new Named("ok"), new Named("Not OK"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "thing "
                + Named.class.getName()
                + " has a malformed name 'Not OK': expected lower-case letters");
    assertThatThrownBy(() -> new ByName(List.of(new Named(null))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("malformed name 'null'");
  }

  @Test
  void rejectsTwoProvidersWithOneKeyNamingBoth() {
    assertThatThrownBy(() -> new ByName(List.of(new Named("twin"), new Named("twin"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "duplicate thing name 'twin': "
                + Named.class.getName()
                + " and "
                + Named.class.getName());
  }
}
