package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one echo server model in a child JVM for {@link IoModelsComparison}, started connected:
 * arguments are the model's name (or {@value IoModelsComparison#CEILING} for the {@link
 * CeilingEchoServer}), its number of workers (0 for the model's default) and the CPU list to pin
 * itself to (empty: no pinning). It pins itself before the server starts a thread, sends {@link
 * Ready} with the port to the parent, the message the parent waits for, then serves until the
 * parent terminates it (SIGTERM), when a shutdown hook closes the server.
 */
public final class EchoServerWorker implements WorkerTask {

  /**
   * The server listens.
   *
   * @param port its port on the loopback address
   * @param unpinnedBecause empty, or why the server is not pinned to the CPUs it was given
   */
  record Ready(int port, String unpinnedBecause) {}

  @Override
  public void run(List<String> arguments) throws Exception {
    if (arguments.size() != 3) {
      throw new IllegalArgumentException("expected: MODEL WORKERS CPUS, got " + arguments);
    }
    String unpinnedBecause = "";
    if (!arguments.get(2).isEmpty()) {
      try {
        CpuSets.pin(arguments.get(2));
      } catch (IOException e) {
        unpinnedBecause = e.getMessage();
      }
    }
    MessageChannel<Ready, Void> parent = MessageChannel.toParent(Ready.class, Void.class);
    EchoServer server = create(arguments.get(0), Integer.parseInt(arguments.get(1)));
    server.start(0);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "close-echo-server"));
    parent.send(new Ready(server.address().getPort(), unpinnedBecause));
    new CountDownLatch(1).await();
  }

  private static EchoServer create(String name, int workers) {
    if (name.equals(IoModelsComparison.CEILING)) {
      return new CeilingEchoServer();
    }
    EchoServerModel model =
        EchoServerModels.load()
            .find(name)
            .orElseThrow(() -> new IllegalArgumentException("no echo server model " + name));
    return model.create(new EchoServerSettings(workers, 0, Duration.ZERO));
  }
}
