package io.github.concurrencycourse.iomodels.lessons;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.iomodels.BlockingEchoServer;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Blocking IO: one thread, blocking {@code accept()}, {@code read()} and {@code write()}, serves
 * one client at a time; a second client is connected by the kernel but waits.
 *
 * <p>Run it with {@code ./course run io-models.blocking}. You will see client A get its reply,
 * client B send and wait a second with no reply while the server still counts one accepted
 * connection (its only thread is blocked in {@code read()} on A), then A leave and B get its reply
 * at once.
 */
public final class BlockingLesson extends AbstractLesson {

  public BlockingLesson() {
    super(
        "io-models.blocking",
        "blocking IO: one thread, one client at a time, the next one waits",
        SeedSection.IO_MODELS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    try (BlockingEchoServer server = new BlockingEchoServer()) {
      server.start(0);
      out.println("服务器已经启动.... blocking server on " + server.address() + ", one thread");
      EchoClient a = LessonClients.connect(server);
      EchoClient b = LessonClients.connect(server);
      try {
        out.println("client A: " + a.exchange("hello from a"));
        b.send("hello from b");
        Duration wait = context.pace().seconds(1);
        context.pace().sleepSeconds(1);
        out.println(
            "client B: sent, no reply after "
                + wait.toMillis()
                + " ms; connections the server accepted: "
                + server.totalConnections()
                + " (its only thread is blocked in read() on client A)");
        a.close();
        out.println("client A leaves");
        out.println("client B: " + new String(b.read(12), LessonClients.UTF8));
        out.println("connections the server accepted: " + server.totalConnections());
      } finally {
        a.close();
        b.close();
      }
    }
    out.println(
        "blocking IO: the thread is blocked while the kernel waits for data and while it copies"
            + " it; one thread per client at a time.");
  }
}
