package io.github.concurrencycourse.common.echo;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The echo server models on a class path, found with {@link ServiceLoader} and sorted by name.
 *
 * <p>Loading fails with {@link IllegalStateException} when two models share a name or a name is
 * malformed, naming the classes involved. Immutable and thread-safe once loaded.
 */
public final class EchoServerModels {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

  private final List<EchoServerModel> models;

  private EchoServerModels(List<EchoServerModel> models) {
    TreeMap<String, EchoServerModel> byName = new TreeMap<>();
    for (EchoServerModel model : models) {
      String name = model.name();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalStateException(
            "echo server model "
                + model.getClass().getName()
                + " has a malformed name '"
                + name
                + "'");
      }
      EchoServerModel previous = byName.putIfAbsent(name, model);
      if (previous != null) {
        throw new IllegalStateException(
            "duplicate echo server model '"
                + name
                + "': "
                + previous.getClass().getName()
                + " and "
                + model.getClass().getName());
      }
    }
    this.models = List.copyOf(byName.values());
  }

  /** The models registered on the class path of {@code classLoader}. */
  public static EchoServerModels load(ClassLoader classLoader) {
    return of(
        ServiceLoader.load(EchoServerModel.class, classLoader).stream()
            .map(ServiceLoader.Provider::get)
            .toList());
  }

  /** The models registered on the class path of this class's loader. */
  public static EchoServerModels load() {
    return load(EchoServerModels.class.getClassLoader());
  }

  /** Exactly these models, checked as {@link #load} checks them. */
  public static EchoServerModels of(List<? extends EchoServerModel> models) {
    return new EchoServerModels(List.copyOf(models));
  }

  /** Every model, by name. */
  public List<EchoServerModel> all() {
    return models;
  }

  /** The model called {@code name}, if any. */
  public Optional<EchoServerModel> find(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
