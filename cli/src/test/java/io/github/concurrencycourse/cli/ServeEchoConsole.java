package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoServerModels;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs {@code course serve echo} in this JVM as a test would at a terminal: over given models, with
 * standard output and error captured in UTF-8, and a {@link StopSignal} that the test raises as
 * Ctrl-C would. One per test; its captures grow across runs.
 */
final class ServeEchoConsole {

  private static final Pattern LISTENING = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+) ");

  private final EchoServerModels models;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final StopSignal stop = new StopSignal();

  ServeEchoConsole(EchoServerModels models) {
    this.models = models;
  }

  /**
   * A new command line over the models, writing to the captures; it stops on {@link #stopSignal()}.
   */
  CommandLine command() {
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    CommandLine command =
        new CommandLine(
            new ServeEchoCommand(
                models, new PrintStream(out, true, StandardCharsets.UTF_8), errors, () -> stop));
    command.setErr(new PrintWriter(new OutputStreamWriter(errors, StandardCharsets.UTF_8), true));
    return command;
  }

  /**
   * The address the server printed it listens on, waiting up to {@code wait} for the line.
   *
   * @throws AssertionError if {@code exit} completes or {@code wait} passes first; the message
   *     shows what the command printed
   */
  InetSocketAddress awaitListening(Duration wait, Future<Integer> exit) {
    await().atMost(wait).until(() -> LISTENING.matcher(out()).find() || exit.isDone());
    Matcher port = LISTENING.matcher(out());
    assertThat(port.find()).as("listening line in %s / %s", out(), err()).isTrue();
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port.group(1)));
  }

  /** The signal the command stops on: {@link StopSignal#requestStop()} is Ctrl-C. */
  StopSignal stopSignal() {
    return stop;
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
