package io.github.concurrencycourse.common.echo;

import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.util.Objects;
import java.util.Set;

/**
 * An {@link EchoServerModel} whose name, description and supported options are declared once, in
 * the constructor, so that a model implements only {@link #create}:
 *
 * <pre>{@code
 * public static final class Virtual extends AbstractEchoServerModel {
 *
 *   public Virtual() {
 *     super("virtual", "a virtual thread per connection", VirtualThreadEchoServer.OPTIONS);
 *   }
 *
 *   @Override
 *   public EchoServer create(EchoServerSettings settings) {
 *     return new VirtualThreadEchoServer(settings);
 *   }
 * }
 * }</pre>
 *
 * <p>The description is fixed at construction and the accessors are final. Immutable, hence
 * thread-safe, as far as this class goes; {@link EchoServerModel} asks subclasses to be stateless.
 */
public abstract class AbstractEchoServerModel implements EchoServerModel {

  private final String name;
  private final String description;
  private final Set<Option> supportedOptions;

  /**
   * A model with this description.
   *
   * @param name the model's name on the command line, as {@link EchoServerModel#name()} describes
   *     it
   * @param description one line saying how the model serves its clients
   * @param supportedOptions the options the model's servers honour, usually the server class's
   *     {@code OPTIONS}
   * @throws NullPointerException if any argument is null or an option is null
   */
  protected AbstractEchoServerModel(String name, String description, Set<Option> supportedOptions) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.supportedOptions = Set.copyOf(supportedOptions);
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

  /** The model's name, which is how the command line names it. */
  @Override
  public String toString() {
    return name;
  }
}
