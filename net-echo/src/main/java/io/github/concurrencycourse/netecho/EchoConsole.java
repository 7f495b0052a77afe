package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The seed's interactive client loop over an {@link EchoClient}:
 *
 * <pre>{@code
 * while True:
 *     cmd = input('>>:').strip()
 *     if cmd:
 *         client.send(cmd.encode('utf-8'))
 *         res = client.recv(1024)
 *         print(res.decode('utf-8'))
 * }</pre>
 *
 * with the exits the seed lacks. It prints the {@value #PROMPT} prompt, reads a line and strips it;
 * an empty line sends nothing; {@value #QUIT} or the end of the input leaves. A line is sent as
 * UTF-8 and its reply printed only once every byte sent has come back ({@link
 * EchoClient#exchange(String)}), not after one {@code recv(1024)} that may hold half of it. A
 * server that goes away — closes, resets, or stops answering within the client's read timeout —
 * ends the session with one line naming the server, not a stack trace.
 *
 * <p>Not thread-safe: one console per client and thread.
 */
public final class EchoConsole {

  /** The seed's prompt. */
  public static final String PROMPT = ">>:";

  /** The line that ends a session. */
  public static final String QUIT = "quit";

  /** How a session ended. */
  public enum Outcome {
    /** The input ended (Ctrl-D, or the end of a scripted input). */
    END_OF_INPUT,
    /** The user typed {@value EchoConsole#QUIT}. */
    QUIT,
    /** The server closed or reset the connection, or stopped answering. */
    SERVER_LOST
  }

  private final EchoClient client;
  private final BufferedReader in;
  private final PrintStream out;

  /**
   * A console that talks to {@code client}, reads lines from {@code in} and prints to {@code out}.
   */
  public EchoConsole(EchoClient client, BufferedReader in, PrintStream out) {
    this.client = Objects.requireNonNull(client, "client");
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * Runs the session until the input ends, the user quits or the server is lost. The client is left
   * open; the caller closes it.
   *
   * @throws IOException if reading the input fails (a failure of the connection is an outcome, not
   *     an exception)
   */
  public Outcome run() throws IOException {
    while (true) {
      out.print(PROMPT);
      out.flush();
      String line = in.readLine();
      if (line == null) {
        out.println();
        return Outcome.END_OF_INPUT;
      }
      String command = line.strip();
      if (command.isEmpty()) {
        continue;
      }
      if (command.equals(QUIT)) {
        return Outcome.QUIT;
      }
      String reply;
      try {
        reply = client.exchange(command);
      } catch (IOException e) {
        out.println("服务器断开了 (the server went away): " + e.getMessage());
        return Outcome.SERVER_LOST;
      }
      out.println(reply);
    }
  }
}
