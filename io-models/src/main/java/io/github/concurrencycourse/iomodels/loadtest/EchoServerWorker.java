package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one echo server model in a child JVM for {@link IoModelsComparison}, started connected:
 * arguments are the model's name and its number of workers (0 for the model's default). It sends
 * {@link Ready} with the port to the parent, the message the parent waits for, then serves until
 * the parent terminates it (SIGTERM), when a shutdown hook closes the server.
 */
public final class EchoServerWorker implements WorkerTask {

  /**
   * The server listens.
   *
   * @param port its port on the loopback address
   */
  record Ready(int port) {}

  @Override
  public void run(List<String> arguments) throws Exception {
    if (arguments.size() != 2) {
      throw new IllegalArgumentException("expected: MODEL WORKERS, got " + arguments);
    }
    MessageChannel<Ready, Void> parent = MessageChannel.toParent(Ready.class, Void.class);
    EchoServerModels models = EchoServerModels.load();
    EchoServerModel model =
        models
            .find(arguments.get(0))
            .orElseThrow(
                () -> new IllegalArgumentException("no echo server model " + arguments.get(0)));
    EchoServerSettings settings =
        new EchoServerSettings(Integer.parseInt(arguments.get(1)), 0, Duration.ZERO);
    EchoServer server = model.create(settings);
    server.start(0);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "close-echo-server"));
    parent.send(new Ready(server.address().getPort()));
    new CountDownLatch(1).await();
  }
}
