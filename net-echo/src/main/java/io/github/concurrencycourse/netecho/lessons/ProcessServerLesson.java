package io.github.concurrencycourse.netecho.lessons;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.netecho.PreforkEchoServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * socket通信多用户同时操作(多进程方式): the seed's process-per-client server as pre-fork worker JVMs that share
 * the port with {@code SO_REUSEPORT}, watched by a supervising parent.
 *
 * <p>Run it with {@code ./course run net-echo.process-server}. You will see two worker JVMs start,
 * four clients served, with the seed's 总的连接数 / alive的连接数 line after each; then one worker is killed
 * (SIGKILL), the parent starts a new one, and a fifth client is served; then the clients leave
 * (客户端端开...) and the counts fall to 0.
 */
public final class ProcessServerLesson extends AbstractLesson {

  /** The seed's clients in this lesson. */
  public static final int CLIENTS = 4;

  private static final Duration WAIT = Duration.ofSeconds(30);

  public ProcessServerLesson() {
    super(
        "net-echo.process-server",
        "worker JVMs share one port with SO_REUSEPORT; the parent restarts one that dies",
        SeedSection.PROCESS_ECHO_SERVER);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    PreforkEchoServer.Listener listener =
        new PreforkEchoServer.Listener() {
          @Override
          public void workerDied(String name, long pid, int exitCode) {
            out.println(
                "worker "
                    + name
                    + " died (exit code "
                    + exitCode
                    + "); the parent starts a new one");
          }
        };
    List<EchoClient> clients = new ArrayList<>();
    try (PreforkEchoServer server =
        new PreforkEchoServer(EchoServerSettings.DEFAULTS.withWorkers(2), false, listener)) {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      out.println(
          "服务器已经启动.... ("
              + server.workers()
              + " worker JVMs share "
              + address
              + " with SO_REUSEPORT)");
      for (int i = 1; i <= CLIENTS; i++) {
        EchoClient client = EchoClient.connect(address);
        clients.add(client);
        String reply = client.exchange("hello from client " + i);
        awaitCounts(server, i, i);
        out.println("有客户端连接上来了.... client " + i + " got: " + reply);
        out.println(counts(server));
        context.pace().sleepSeconds(0.5);
      }

      long victim = server.workerStatuses().getFirst().pid();
      out.println("kill -9 " + victim + " (one worker JVM)");
      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
      await(
          () -> server.restarts() == 1 && server.workerStatuses().size() == 2,
          "a new worker to listen");
      out.println("the parent restarted it: " + server.workerStatuses().size() + " workers listen");

      try (EchoClient fifth = EchoClient.connect(address)) {
        out.println("client 5 got: " + fifth.exchange("hello from client 5"));
      }
      int kept = 0;
      for (EchoClient client : clients) {
        try {
          client.exchange("still there?");
          kept++;
        } catch (IOException lost) {
          // Its worker was the one killed.
        }
      }
      out.println(
          kept
              + " of "
              + CLIENTS
              + " clients kept their sessions; the killed worker's clients lost theirs");

      for (EchoClient client : clients) {
        client.close();
        out.println("客户端端开...");
      }
      clients.clear();
      await(() -> server.activeConnections() == 0, "every client to leave");
      out.println(counts(server));
    } finally {
      for (EchoClient client : clients) {
        client.close();
      }
    }
  }

  private static String counts(PreforkEchoServer server) {
    return "总的连接数:" + server.totalConnections() + ",alive的连接数:" + server.activeConnections();
  }

  /** The workers report their counts over a pipe, a moment after the fact. */
  private static void awaitCounts(PreforkEchoServer server, long total, int alive)
      throws InterruptedException, IOException {
    await(
        () -> server.totalConnections() == total && server.activeConnections() == alive,
        "the workers to report " + total + " connections");
  }

  private static void await(BooleanSupplier condition, String what)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("gave up waiting for " + what + " after " + WAIT);
      }
      Thread.sleep(10);
    }
  }
}
