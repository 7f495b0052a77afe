package io.github.concurrencycourse.iomodels.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.iomodels.NettyEchoServer;
import io.github.concurrencycourse.iomodels.NettyTransport;
import java.io.PrintStream;

/**
 * Netty, the production form of the selector model, on each of its transports: NIO (the JDK's
 * selector), epoll (Netty's own binding) and io_uring (the kernel completes the read into Netty's
 * buffer, the closest Linux has to Stevens' asynchronous IO).
 *
 * <p>Run it with {@code ./course run io-models.netty}. For each transport you will see whether this
 * system offers it (and which one runs instead if not, with the reason) and three clients served by
 * two event loops.
 */
public final class NettyLesson extends AbstractLesson {

  static final int CLIENTS = 3;

  public NettyLesson() {
    super(
        "io-models.netty",
        "Netty on NIO, epoll and io_uring: the same echo on three transports",
        SeedSection.IO_MODELS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    for (NettyTransport transport : NettyTransport.values()) {
      try (NettyEchoServer server = new NettyEchoServer(transport, 2)) {
        server.start(0);
        String runs =
            server.transport() == transport
                ? "available"
                : "not available here ("
                    + transport.unavailabilityCause().map(Throwable::toString).orElse("unknown")
                    + "), running on "
                    + server.transport().id()
                    + " instead";
        String prefix = "[netty-" + transport.id() + "] ";
        out.println(prefix + runs);
        try (ClientGroup clients = ClientGroup.connect(server, CLIENTS)) {
          for (String reply : clients.exchangeEach(i -> "client " + i + " 客户端")) {
            out.println(prefix + reply);
          }
          out.println(prefix + "live connections: " + server.activeConnections());
        }
      }
    }
  }
}
