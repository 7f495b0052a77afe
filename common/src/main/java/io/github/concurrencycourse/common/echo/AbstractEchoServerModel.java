package io.github.concurrencycourse.common.echo;

import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * An {@link EchoServerModel} declared in one statement: its name, description, supported options
 * and the constructor of its servers, given to the constructor. A subclass exists only because
 * {@link java.util.ServiceLoader} instantiates a class by its public no-argument constructor:
 *
 * <pre>{@code
 * public static final class Virtual extends AbstractEchoServerModel {
 *   public Virtual() {
 *     super(
 *         "virtual",
 *         "a virtual thread per connection",
 *         VirtualThreadEchoServer.OPTIONS,
 *         VirtualThreadEchoServer::new);
 *   }
 * }
 * }</pre>
 *
 * <p>Everything is fixed at construction and every method is final. Immutable, hence thread-safe,
 * as long as the server constructor keeps no state of its own, as {@link EchoServerModel} asks.
 */
public abstract class AbstractEchoServerModel implements EchoServerModel {

  private final String name;
  private final String description;
  private final Set<Option> supportedOptions;
  private final Function<EchoServerSettings, ? extends EchoServer> servers;

  /**
   * A model with this description.
   *
   * @param name the model's name on the command line, as {@link EchoServerModel#name()} describes
   *     it
   * @param description one line saying how the model serves its clients
   * @param supportedOptions the options the model's servers honour, usually the server class's
   *     {@code OPTIONS}
   * @param servers creates a new, unstarted server from the settings, refusing those it cannot
   *     honour as {@link EchoServerModel#create} describes; usually the server's constructor
   * @throws NullPointerException if any argument is null or an option is null
   */
  protected AbstractEchoServerModel(
      String name,
      String description,
      Set<Option> supportedOptions,
      Function<EchoServerSettings, ? extends EchoServer> servers) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.supportedOptions = Set.copyOf(supportedOptions);
    this.servers = Objects.requireNonNull(servers, "servers");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Set<Option> supportedOptions() {
    return supportedOptions;
  }

  @Override
  public final EchoServer create(EchoServerSettings settings) {
    return servers.apply(settings);
  }

  /** The model's name, which is how the command line names it. */
  @Override
  public final String toString() {
    return name;
  }
}
