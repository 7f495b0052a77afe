package io.github.concurrencycourse.netecho.lessons;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.netecho.EchoConsole;
import io.github.concurrencycourse.netecho.PooledEchoServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The seed's client ({@code input('>>:')}, send, print the reply) against the seed's pooled server,
 * started for the lesson on a free port of 127.0.0.1.
 *
 * <p>Run it with {@code ./course run net-echo.client} and type: each line comes back in upper case
 * (Chinese unchanged), an empty line sends nothing, {@code quit} or Ctrl-D leaves. To talk to a
 * server of your own, use {@code course client HOST PORT}.
 */
public final class ClientLesson extends AbstractLesson {

  public ClientLesson() {
    super(
        "net-echo.client",
        "the >>: client: type a line, get it back in upper case",
        SeedSection.PROCESS_ECHO_SERVER);
  }

  @Override
  public boolean interactive() {
    return true;
  }

  @Override
  public void run(LessonContext context) throws Exception {
    try (PooledEchoServer server = new PooledEchoServer()) {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      context.out().println("服务器已经启动.... (" + address + "; type quit or Ctrl-D to leave)");
      EchoConsole.Outcome outcome;
      try (EchoClient client = EchoClient.connect(address)) {
        outcome = new EchoConsole(client, context.in(), context.out()).run();
      }
      context.out().println("session ended: " + describe(outcome));
    }
  }

  private static String describe(EchoConsole.Outcome outcome) {
    return switch (outcome) {
      case END_OF_INPUT -> "end of input";
      case QUIT -> "quit";
      case SERVER_LOST -> "the server went away";
    };
  }
}
