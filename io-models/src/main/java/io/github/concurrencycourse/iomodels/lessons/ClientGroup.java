package io.github.concurrencycourse.iomodels.lessons;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The clients a lesson keeps connected to its server while it shows what the model does, closed
 * together at the end. Not thread-safe: the lesson's thread uses it.
 */
final class ClientGroup implements AutoCloseable {

  private final List<EchoClient> clients = new ArrayList<>();

  private ClientGroup() {}

  /**
   * Connects {@code count} clients to {@code server}, one after the other.
   *
   * @throws IOException if a client cannot connect; those already connected are closed
   */
  static ClientGroup connect(EchoServer server, int count) throws IOException {
    ClientGroup group = new ClientGroup();
    try {
      for (int i = 0; i < count; i++) {
        group.clients.add(LessonClients.connect(server));
      }
    } catch (IOException | RuntimeException e) {
      try {
        group.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return group;
  }

  /**
   * Has client 1, then client 2, and so on, send {@code message.apply(number)} and wait for the
   * reply; returns the replies in that order.
   */
  List<String> exchangeEach(IntFunction<String> message) throws IOException {
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      replies.add(clients.get(i).exchange(message.apply(i + 1)));
    }
    return replies;
  }

  /**
   * Runs {@code rounds} rounds of {@link #exchangeEach} with "client N round R" and returns the
   * last round's replies.
   */
  List<String> talkInRounds(int rounds) throws IOException {
    List<String> replies = List.of();
    for (int round = 1; round <= rounds; round++) {
      int r = round;
      replies = exchangeEach(i -> "client " + i + " round " + r);
    }
    return replies;
  }

  /**
   * Closes every client, even when closing one fails.
   *
   * @throws IOException the first failure, with the others suppressed
   */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (EchoClient client : clients) {
      try {
        client.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
