package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.netecho.EchoConsole;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code course client HOST PORT}: the seed's {@code >>:} client against any uppercase-echo server,
 * ours or the seed's Python.
 *
 * <p>Exit codes: 0 the session ended with {@code quit} or the end of the input; 1 the server could
 * not be reached or went away; 2 a usage error.
 */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = {
      "Talk to an uppercase-echo server: type a line, get it back in upper case.",
      "An empty line sends nothing; quit or Ctrl-D leaves."
    })
final class ClientCommand implements Callable<Integer> {

  private final PrintStream out;
  private final PrintStream err;
  private final BufferedReader in;

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST", description = "the server's host name or address")
  private String host;

  @Parameters(index = "1", paramLabel = "PORT", description = "the server's port (the seed: 8080)")
  private int port;

  @Option(
      names = "--timeout",
      defaultValue = "PT10S",
      converter = PositiveDuration.class,
      description = "connect and reply timeout, ISO-8601 (default: ${DEFAULT-VALUE})")
  private Duration timeout;

  ClientCommand(PrintStream out, PrintStream err, BufferedReader in) {
    this.out = out;
    this.err = err;
    this.in = in;
  }

  @Override
  public Integer call() throws IOException {
    if (port < 1 || port > 65_535) {
      throw new ParameterException(
          spec.commandLine(), "PORT must be between 1 and 65535, got " + port);
    }
    InetSocketAddress server = new InetSocketAddress(host, port);
    if (server.isUnresolved()) {
      err.println("cannot resolve host " + host);
      return 1;
    }
    EchoClient client;
    try {
      client = EchoClient.connect(server, timeout, timeout);
    } catch (IOException e) {
      err.println(e.getMessage());
      return 1;
    }
    try (client) {
      EchoConsole.Outcome outcome = new EchoConsole(client, in, out).run();
      return outcome == EchoConsole.Outcome.SERVER_LOST ? 1 : 0;
    }
  }
}
