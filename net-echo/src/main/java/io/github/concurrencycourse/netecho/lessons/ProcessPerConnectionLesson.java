package io.github.concurrencycourse.netecho.lessons;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.netecho.ProcessPerConnectionEchoServer;
import io.github.concurrencycourse.netecho.ProcessPerConnectionEchoServer.Child;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * socket通信多用户同时操作(多进程方式), literally: the parent accepts each client and starts a new child JVM for
 * it, which serves that client alone and exits when it leaves, as the seed's {@code
 * Process(target=talk, args=(conn,))} does.
 *
 * <p>Run it with {@code ./course run net-echo.process-per-connection}. You will see three clients
 * connect, each with the seed's 有客户端连接上来了.... and 总的连接数 / alive的连接数 lines, and how long each waited
 * for its first reply while its JVM started; the three child JVMs, their pids and the memory one of
 * them holds for its one connection; then the clients leave one by one (客户端端开...) and the live
 * count falls with each child that exits.
 */
public final class ProcessPerConnectionLesson implements Lesson {

  /** The seed's clients in this lesson. */
  public static final int CLIENTS = 3;

  /** How long the lesson waits for a child JVM to start, serve or exit. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Override
  public String id() {
    return "net-echo.process-per-connection";
  }

  @Override
  public String title() {
    return "the parent accepts, a new child JVM serves each client and exits when it leaves";
  }

  @Override
  public SeedSection seedSection() {
    return SeedSection.PROCESS_ECHO_SERVER;
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    Semaphore left = new Semaphore(0);
    ProcessPerConnectionEchoServer.Listener listener =
        new ProcessPerConnectionEchoServer.Listener() {
          @Override
          public void clientConnected(long connection, InetSocketAddress client) {
            out.println("有客户端连接上来了.... connection " + connection + ": starting its child JVM");
          }

          @Override
          public void clientLeft(long connection, long pid) {
            out.println("客户端端开... connection " + connection + ": child JVM " + pid + " exited");
            left.release();
          }
        };
    List<EchoClient> clients = new ArrayList<>();
    try (ProcessPerConnectionEchoServer server =
        new ProcessPerConnectionEchoServer(EchoServerSettings.DEFAULTS, listener)) {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      out.println(
          "服务器已经启动.... (the parent, pid "
              + ProcessHandle.current().pid()
              + ", accepts on "
              + address
              + "; each client gets a child JVM of its own)");
      for (int i = 1; i <= CLIENTS; i++) {
        long connecting = System.nanoTime();
        EchoClient client = EchoClient.connect(address, WAIT, WAIT);
        clients.add(client);
        String reply = client.exchange("hello from client " + i);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connecting);
        out.println(
            "client "
                + i
                + " got: "
                + reply
                + " ("
                + waited
                + " ms after connecting: its JVM had to start first)");
        out.println(counts(server));
        context.pace().sleepSeconds(0.5);
      }

      List<Child> children = awaitChildren(server);
      out.println(
          CLIENTS
              + " clients, "
              + children.size()
              + " child JVMs: pids "
              + children.stream()
                  .map(c -> String.valueOf(c.pid()))
                  .collect(Collectors.joining(", "))
              + ", each serving the socket of its own client");
      Child first = children.getFirst();
      residentMebibytes(first.pid())
          .ifPresent(
              mib ->
                  out.println(
                      "child JVM "
                          + first.pid()
                          + " holds "
                          + mib
                          + " MiB of memory (resident) for its one connection"));
      out.println(
          "(the prefork server, net-echo.process-server, pays for its JVMs once, before any client"
              + " comes)");

      for (int i = 0; i < clients.size(); i++) {
        clients.get(i).close();
        out.println("client " + (i + 1) + " leaves");
        if (!left.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IOException("child JVM " + (i + 1) + " did not exit within " + WAIT);
        }
        out.println(counts(server));
        context.pace().sleepSeconds(0.5);
      }
    } finally {
      for (EchoClient client : clients) {
        client.close();
      }
    }
  }

  private static String counts(ProcessPerConnectionEchoServer server) {
    return "总的连接数:" + server.totalConnections() + ",alive的连接数:" + server.activeConnections();
  }

  /** The children once every client's has said that it serves; they report over a socket. */
  private static List<Child> awaitChildren(ProcessPerConnectionEchoServer server)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.children().size() < CLIENTS) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the child JVMs did not report within " + WAIT);
      }
      Thread.sleep(10);
    }
    return server.children();
  }

  /** A process's resident memory in MiB, from Linux's {@code /proc}; empty elsewhere. */
  private static Optional<Long> residentMebibytes(long pid) throws IOException {
    Path status = Path.of("/proc", String.valueOf(pid), "status");
    if (!Files.isReadable(status)) {
      return Optional.empty();
    }
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
        .findFirst();
  }
}
