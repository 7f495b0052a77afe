package io.github.concurrencycourse.netecho.lessons;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.netecho.PooledEchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * 小练习:线程池方式实现socket并行并且限制并行数量: the seed's server on a {@code ThreadPoolExecutor(3)}, visited by
 * four clients.
 *
 * <p>Run it with {@code ./course run net-echo.pool-server}. You will see clients 1 to 3 served at
 * once; client 4 connects (the counts say 总的连接数:4) and sends its line, but no reply comes while the
 * three workers are busy. A second later client 1 leaves, and client 4's reply arrives at once: the
 * pool limits how many clients are served, not how many connect.
 */
public final class PoolServerLesson extends AbstractLesson {

  /** The seed's four clients: one more than its pool. */
  public static final int CLIENTS = PooledEchoServer.SEED_POOL_SIZE + 1;

  private static final Duration WAIT = Duration.ofSeconds(10);

  public PoolServerLesson() {
    super(
        "net-echo.pool-server",
        "ThreadPoolExecutor(3) echo server: a 4th client waits until one of the first three leaves",
        SeedSection.POOLED_ECHO_SERVER);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    List<EchoClient> served = new ArrayList<>();
    try (PooledEchoServer server = new PooledEchoServer();
        Socket fourth = new Socket()) {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      out.println("服务器已经启动.... (" + server.poolSize() + " workers, listening on " + address + ")");
      for (int i = 1; i < CLIENTS; i++) {
        EchoClient client = EchoClient.connect(address);
        served.add(client);
        out.println("client " + i + " >>: hello from client " + i);
        out.println("client " + i + " <<: " + client.exchange("hello from client " + i));
      }

      fourth.connect(address, (int) WAIT.toMillis());
      awaitTotal(server, CLIENTS);
      out.println("client 4 connected; " + counts(server));
      byte[] request = "hello from client 4".getBytes(StandardCharsets.UTF_8);
      fourth.getOutputStream().write(request);
      out.println("client 4 >>: hello from client 4");
      fourth.setSoTimeout(millis(context.pace().seconds(1)));
      InputStream in = fourth.getInputStream();
      try {
        int first = in.read();
        out.println(
            "client 4 was answered while all workers were busy (first byte "
                + first
                + "): the pool is not limiting");
      } catch (SocketTimeoutException e) {
        out.println(
            "client 4: no reply yet — all "
                + server.poolSize()
                + " workers are busy with clients 1 to 3");
      }

      context.pace().sleepSeconds(1);
      served.removeFirst().close();
      out.println("client 1 leaves");
      fourth.setSoTimeout((int) WAIT.toMillis());
      byte[] reply = in.readNBytes(request.length);
      out.println("client 4 <<: " + new String(reply, StandardCharsets.UTF_8));
      out.println(counts(server));
    } finally {
      for (EchoClient client : served) {
        client.close();
      }
    }
  }

  /** The seed's count line. */
  private static String counts(PooledEchoServer server) {
    return "总的连接数:" + server.totalConnections() + ",alive的连接数:" + server.activeConnections();
  }

  /** The acceptor counts a connection a moment after the client's connect returns. */
  private static void awaitTotal(PooledEchoServer server, long total)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.totalConnections() < total) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the server did not accept client " + total + " within " + WAIT);
      }
      Thread.sleep(5);
    }
  }

  private static int millis(Duration duration) {
    // 0 would mean "wait for ever" to setSoTimeout.
    return (int) Math.max(1, duration.toMillis());
  }
}
