package io.github.concurrencycourse.common.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The providers of a service, each known by a key of its own (the echo server models by name, the
 * lessons by id), checked when the registry is built: construction fails with {@link
 * IllegalStateException} when a key is malformed or two providers share one, naming the classes
 * involved, so that a broken registration is found at start-up and never by a user who asks for the
 * wrong provider. Immutable and thread-safe once built.
 *
 * @param <S> the service
 */
public abstract class ProviderRegistry<S> {

  /**
   * How a registry's providers are keyed.
   *
   * @param provider what a provider is called in a message, such as {@code "lesson"}
   * @param name what its key is called in a message, such as {@code "id"}
   * @param of a provider's key
   * @param form the pattern every key matches
   * @param expected the form in words, for the message that rejects a malformed key
   * @param <S> the service
   */
  public record Key<S>(
      String provider, String name, Function<? super S, String> of, Pattern form, String expected) {

    /** Checks that no part is missing. */
    public Key {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(of, "of");
      Objects.requireNonNull(form, "form");
      Objects.requireNonNull(expected, "expected");
    }
  }

  private final List<S> providers;
  private final Map<String, S> byKey;

  /**
   * A registry of {@code providers}, checked.
   *
   * @param key how the providers are keyed
   * @param providers the providers
   * @param order the order of {@link #all()}; a stable sort, so providers it ranks equal keep their
   *     order in {@code providers}
   * @throws IllegalStateException if a key is malformed or two providers share one
   */
  protected ProviderRegistry(Key<S> key, List<? extends S> providers, Comparator<? super S> order) {
    Map<String, S> checked = new HashMap<>();
    for (S provider : providers) {
      String k = key.of().apply(provider);
      if (k == null || !key.form().matcher(k).matches()) {
        throw new IllegalStateException(
            key.provider()
                + " "
                + provider.getClass().getName()
                + " has a malformed "
                + key.name()
                + " '"
                + k
                + "': expected "
                + key.expected());
      }
      S previous = checked.putIfAbsent(k, provider);
      if (previous != null) {
        throw new IllegalStateException(
            "duplicate "
                + key.provider()
                + " "
                + key.name()
                + " '"
                + k
                + "': "
                + previous.getClass().getName()
                + " and "
                + provider.getClass().getName());
      }
    }
    List<S> ordered = new ArrayList<>(providers);
    ordered.sort(order);
    this.providers = List.copyOf(ordered);
    this.byKey = Collections.unmodifiableMap(checked);
  }

  /** The providers of {@code service} registered on the class path of {@code classLoader}. */
  protected static <S> List<S> loadProviders(Class<S> service, ClassLoader classLoader) {
    return ServiceLoader.load(service, classLoader).stream()
        .map(ServiceLoader.Provider::get)
        .toList();
  }

  /** Every provider, in the registry's order. */
  public List<S> all() {
    return providers;
  }

  /** The provider with this key, if any. */
  public Optional<S> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }
}
