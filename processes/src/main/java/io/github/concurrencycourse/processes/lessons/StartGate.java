package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.ChannelServer;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A start line for child JVMs, so that a race between them happens on every run rather than only
 * when their JVMs happen to finish starting together (which, at a few hundred milliseconds each,
 * they rarely do).
 *
 * <p>The parent opens the gate, a {@link ChannelServer}, and gives its socket to the children. Each
 * child, once it has loaded what it needs, {@linkplain #pass connects}, which says that it is
 * ready, and waits for the word to go. The parent {@linkplain #openWhenReady opens the gate} once
 * every child has connected: it gives the word to all of them, and they pass within microseconds of
 * each other. Not thread-safe: the parent opens and closes it from one thread.
 */
final class StartGate implements AutoCloseable {

  /** The parent's word to a child at the gate. */
  enum Word {
    GO
  }

  /** How often the parent looks, while it waits, for a child that died before it was ready. */
  private static final Duration CHECK_EVERY = Duration.ofMillis(100);

  private final ChannelServer<Word, Void> server;
  private final List<MessageChannel<Word, Void>> ready = new ArrayList<>();

  private StartGate(ChannelServer<Word, Void> server) {
    this.server = server;
  }

  /** A closed gate, in a directory only this user may enter. */
  static StartGate closed() throws IOException {
    return new StartGate(ChannelServer.open(Word.class, Void.class));
  }

  /** The gate's socket, to be passed to the children. */
  Path socketPath() {
    return server.socketPath();
  }

  /**
   * Opens the gate once {@code parties} children have come to it.
   *
   * @throws TimeoutException if they have not all come within {@code timeout}
   * @throws IllegalStateException if a child exited before it came
   */
  void openWhenReady(LessonChildren children, int parties, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ready.size() < parties) {
      for (WorkerProcess child : children.started()) {
        if (!child.isAlive()) {
          throw new IllegalStateException(
              child.name() + " exited with code " + child.exitValue() + " before it was ready");
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(
            "only " + ready.size() + " of " + parties + " children ready within " + timeout);
      }
      try {
        ready.add(server.accept(min(CHECK_EVERY, Duration.ofNanos(left))));
      } catch (TimeoutException e) {
        // Nobody came in this while: look at the children again.
      }
    }
    for (MessageChannel<Word, Void> child : ready) {
      child.send(Word.GO);
    }
  }

  /** Closes the gate's socket and its channels to the children. */
  @Override
  public void close() throws IOException {
    ready.forEach(MessageChannel::close);
    server.close();
  }

  /**
   * In a child: comes to the gate at {@code socketPath}, which says it is ready, and waits until
   * the parent opens it.
   *
   * @throws IllegalStateException if the parent closed the gate without opening it
   */
  static void pass(Path socketPath) throws IOException, InterruptedException {
    try (MessageChannel<Void, Word> gate =
        MessageChannel.connect(socketPath, Void.class, Word.class)) {
      Optional<Word> word = gate.receive();
      if (word.isEmpty()) {
        throw new IllegalStateException("the parent closed the start gate without opening it");
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
