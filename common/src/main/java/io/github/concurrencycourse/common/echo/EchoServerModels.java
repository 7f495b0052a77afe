package io.github.concurrencycourse.common.echo;

import io.github.concurrencycourse.common.spi.ProviderRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The echo server models on a class path, found with {@link ServiceLoader}, {@linkplain #all()
 * listed} by name and {@linkplain #find found} by name.
 *
 * <p>Loading fails with {@link IllegalStateException} when two models share a name or a name is
 * malformed, naming the classes involved. Immutable and thread-safe once loaded.
 */
public final class EchoServerModels extends ProviderRegistry<EchoServerModel> {

  private static final Key<EchoServerModel> NAME =
      new Key<>(
          "echo server model",
          "name",
          EchoServerModel::name,
          Pattern.compile("[a-z][a-z0-9_-]*"),
          "lower-case words joined by hyphens or underscores");

  private EchoServerModels(List<? extends EchoServerModel> models) {
    super(NAME, models, Comparator.comparing(EchoServerModel::name));
  }

  /** The models registered on the class path of {@code classLoader}. */
  public static EchoServerModels load(ClassLoader classLoader) {
    return new EchoServerModels(loadProviders(EchoServerModel.class, classLoader));
  }

  /** The models registered on the class path of this class's loader. */
  public static EchoServerModels load() {
    return load(EchoServerModels.class.getClassLoader());
  }

  /** Exactly these models, checked as {@link #load} checks them. */
  public static EchoServerModels of(List<? extends EchoServerModel> models) {
    return new EchoServerModels(models);
  }
}
