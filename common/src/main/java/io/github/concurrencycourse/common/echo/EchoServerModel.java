package io.github.concurrencycourse.common.echo;

import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.util.Set;

/**
 * One way to build an echo server — {@code pool}, {@code virtual}, {@code selector}, {@code
 * netty-nio} — registered with {@link java.util.ServiceLoader} so that {@code course serve echo
 * --model NAME} and the benchmarks find every model on the class path without knowing the modules
 * that define them.
 *
 * <p>Implementations are registered in {@code META-INF/services/}{@code
 * io.github.concurrencycourse.common.echo.EchoServerModel}, have a public no-argument constructor
 * and are stateless, hence thread-safe.
 */
public interface EchoServerModel {

  /** The model's name on the command line: lower-case words joined by hyphens or underscores. */
  String name();

  /** One line saying how the model serves its clients. */
  String description();

  /**
   * The options of {@link EchoServerSettings} this model honours; {@link #create} refuses settings
   * that give any other option a value.
   */
  Set<Option> supportedOptions();

  /**
   * Creates a new, unstarted server of this model, which honours every option the settings give.
   *
   * @throws IllegalArgumentException if the settings give a value to an option outside {@link
   *     #supportedOptions()}, or a value this model cannot honour; the message names the model and
   *     the option
   */
  EchoServer create(EchoServerSettings settings);
}
