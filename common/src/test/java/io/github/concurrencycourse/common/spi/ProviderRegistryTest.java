package io.github.concurrencycourse.common.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
    String named = Named.class.getName();

    assertThat(refusal(new Named("ok"), new Named("Not OK")))
        .isEqualTo(
            "thing " + named + " has a malformed name 'Not OK': expected lower-case letters");
    assertThat(refusal(new Named(null))).contains("malformed name 'null'");
  }

  @Test
  void rejectsTwoProvidersWithOneKeyNamingBoth() {
    String named = Named.class.getName();

    assertThat(refusal(new Named("twin"), new Named("twin")))
        .isEqualTo("duplicate thing name 'twin': " + named + " and " + named);
  }

  /** The message of the {@link IllegalStateException} that refuses a registry of these. */
  private static String refusal(Named... providers) {
    Throwable thrown = catchThrowable(() -> new ByName(List.of(providers)));
    assertThat(thrown).isInstanceOf(IllegalStateException.class);
    return thrown.getMessage();
  }
}
