package io.github.concurrencycourse.iomodels.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.iomodels.IoStatistics;
import io.github.concurrencycourse.iomodels.SelectorEchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * IO multiplexing: one event loop blocked in {@code select()} serves many clients, wakes up only
 * when one of them has data, and stops reading from a client that does not read its replies.
 *
 * <p>Run it with {@code ./course run io-models.selector}. Five clients are served by one thread;
 * you will see how many ready events the selector reported for their messages, that it reported
 * none during a second of silence, and then a client that sends 16 MiB without reading: the server
 * pauses that connection holding at most one 64 KiB buffer of it, and sends everything back once
 * the client reads.
 */
public final class SelectorLesson extends AbstractLesson {

  static final int CLIENTS = 5;

  static final int FLOOD = 16 << 20;

  public SelectorLesson() {
    super(
        "io-models.selector",
        "IO multiplexing: one selector loop, many clients, no CPU while idle, backpressure",
        SeedSection.IO_MODELS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    try (SelectorEchoServer server =
        new SelectorEchoServer(1, SelectorEchoServer.DEFAULT_BUFFER_SIZE)) {
      server.start(0);
      IoStatistics statistics = server.statistics();
      out.println("服务器已经启动.... selector server on " + server.address() + ", one event loop");
      try (ClientGroup clients = ClientGroup.connect(server, CLIENTS)) {
        clients.talkInRounds(3);
        out.printf(
            "%d clients x 3 messages: %d ready events from the selector, %d bytes in, %d bytes out%n",
            CLIENTS, statistics.events(), statistics.bytesReceived(), statistics.bytesSent());
        long before = statistics.events();
        context.pace().sleepSeconds(1);
        out.println(
            "ready events during the silence: "
                + (statistics.events() - before)
                + " (the thread sleeps in select() until a client has data)");
      }
      showBackpressure(server, out);
    }
  }

  private static void showBackpressure(SelectorEchoServer server, PrintStream out)
      throws Exception {
    IoStatistics statistics = server.statistics();
    byte[] flood = new byte[FLOOD];
    Arrays.fill(flood, (byte) 'x');
    Socket client = new Socket();
    Thread writer = null;
    try {
      client.setReceiveBufferSize(64 << 10);
      client.connect(server.address());
      OutputStream stream = client.getOutputStream();
      writer =
          Thread.ofPlatform()
              .name("flooding-client")
              .start(
                  () -> {
                    try {
                      stream.write(flood);
                    } catch (IOException e) {
                      // Only closing the socket at the end can interrupt this write.
                    }
                  });
      awaitPause(statistics);
      out.printf(
          "a client sends %d MiB and reads nothing: paused connections %d, the server holds %d"
              + " bytes of it (its buffer: %d), the rest waits in the kernel%n",
          FLOOD >> 20,
          statistics.pausedConnections(),
          statistics.bufferedBytes(),
          server.bufferSize());
      InputStream in = client.getInputStream();
      byte[] reply = in.readNBytes(FLOOD);
      boolean intact = reply.length == FLOOD;
      for (int i = 0; intact && i < reply.length; i++) {
        intact = reply[i] == 'X';
      }
      out.println(
          "the client reads: "
              + reply.length
              + " bytes back, "
              + (intact ? "all upper-cased" : "NOT intact"));
    } finally {
      client.close();
      if (writer != null) {
        writer.join();
      }
    }
  }

  /**
   * Waits, at most 10 s, until the server has paused a connection. The statistics have no
   * notification to wait on, so this polls every millisecond; it is not a demo sleep.
   */
  private static void awaitPause(IoStatistics statistics) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (statistics.pausedConnections() == 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
