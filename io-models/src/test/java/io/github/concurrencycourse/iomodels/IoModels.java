package io.github.concurrencycourse.iomodels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import java.util.stream.Stream;

/** The IO models of this module by name, for tests that take every model or several. */
final class IoModels {

  private IoModels() {}

  /** Every IO model's name. */
  static Stream<String> names() {
    return Stream.of(
        "async",
        "blocking",
        "netty-epoll",
        "netty-io_uring",
        "netty-nio",
        "non-blocking",
        "selector");
  }

  /** The names of the models that take a connection limit: all but the blocking one. */
  static Stream<String> limitedNames() {
    return names().filter(name -> !name.equals("blocking"));
  }

  /** The model called {@code name}. */
  static EchoServerModel named(String name) {
    return EchoServerModels.load().find(name).orElseThrow();
  }

  /**
   * The model called {@code name}, if this system runs it as named: a Netty model whose transport
   * the system refuses would run on its fallback, so the test is skipped with Netty's reason.
   */
  static EchoServerModel runnable(String name) {
    for (NettyTransport transport : NettyTransport.values()) {
      if (name.equals("netty-" + transport.id())) {
        assumeTrue(
            transport.isAvailable(),
            () ->
                name + " is not available here: " + transport.unavailabilityCause().orElseThrow());
      }
    }
    return named(name);
  }
}
