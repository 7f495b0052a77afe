package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one echo server model in a child JVM for {@link IoModelsComparison}: arguments are the
 * model's name and its number of workers (0 for the model's default). It prints {@value #READY} and
 * the port on its standard output, the line the parent waits for, then serves until the parent
 * terminates it (SIGTERM), when a shutdown hook closes the server.
 */
public final class EchoServerWorker implements WorkerTask {

  /** The start of the line that announces the port. */
  static final String READY = "listening on port ";

  @Override
  public void run(List<String> arguments) throws Exception {
    if (arguments.size() != 2) {
      throw new IllegalArgumentException("expected: MODEL WORKERS, got " + arguments);
    }
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
    // The standard output is this worker's channel to the parent, which reads it line by line.
    System.out.println(READY + server.address().getPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
