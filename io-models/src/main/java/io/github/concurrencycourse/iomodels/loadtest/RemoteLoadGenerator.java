package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.common.launch.ConnectedWorker;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.AnswerEach;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Command;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Count;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Disconnect;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Drain;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Drained;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Failed;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Measured;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Open;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Reply;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Run;
import io.github.concurrencycourse.iomodels.loadtest.LoadGeneratorWorker.Started;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The parent's handle on the load generator's JVM ({@link LoadGeneratorWorker}): the same steps as
 * {@link EchoLoadGenerator}, each sent as a command over the one parent–child channel and answered
 * there. Every wait is bounded by the step's own limit plus a margin for the message; a generator
 * that dies or stops answering fails the step with an {@link IOException}.
 *
 * <p>Not thread-safe: one thread drives it. {@link #close()} ends the JVM.
 */
final class RemoteLoadGenerator implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MARGIN = Duration.ofSeconds(30);

  private final ConnectedWorker<Command, Reply> worker;
  private final Started started;

  private RemoteLoadGenerator(ConnectedWorker<Command, Reply> worker, Started started) {
    this.worker = worker;
    this.started = started;
  }

  /**
   * Starts the generator's JVM pinned to {@code cpus}' generator set, if they are pinned.
   *
   * @throws IOException if the JVM cannot be started or does not report in time
   * @throws InterruptedException if interrupted; the JVM is stopped
   */
  static RemoteLoadGenerator start(CpuSets cpus, Consumer<String> progress)
      throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseParallelGC"));
    options.addAll(cpus.jvmOptions(cpus.generatorList()));
    WorkerLauncher launcher =
        WorkerLauncher.builder()
            .name("load-generator")
            .jvmOptions(options)
            .connectTimeout(START_TIMEOUT)
            .output(WorkerOutput.prefixedLines(progress))
            .build();
    ConnectedWorker<Command, Reply> worker =
        launcher.startConnected(
            LoadGeneratorWorker.class, List.of(cpus.generatorList()), Command.class, Reply.class);
    try {
      Reply first = receive(worker, START_TIMEOUT);
      if (!(first instanceof Started started)) {
        throw new IOException("the load generator began with " + first);
      }
      return new RemoteLoadGenerator(worker, started);
    } catch (IOException | RuntimeException e) {
      worker.close();
      throw e;
    }
  }

  /** The generator's load threads: one per CPU of its set. */
  int threads() {
    return started.threads();
  }

  /** Empty if the generator is pinned as asked, or why not. */
  String unpinnedBecause() {
    return started.unpinnedBecause();
  }

  /** As {@link EchoLoadGenerator#open}: the connections it got. */
  int open(int port, int connections, Duration stall, Duration limit)
      throws IOException, InterruptedException {
    return ask(new Open(port, connections, stall.toMillis(), limit.toMillis()), limit, Count.class)
        .connections();
  }

  /** As {@link EchoLoadGenerator#answerEach}. */
  int answerEach(Duration stall, Duration limit) throws IOException, InterruptedException {
    return ask(new AnswerEach(stall.toMillis(), limit.toMillis()), limit, Count.class)
        .connections();
  }

  /** As {@link EchoLoadGenerator#drain}. */
  boolean drain(Duration stall, Duration limit) throws IOException, InterruptedException {
    return ask(new Drain(stall.toMillis(), limit.toMillis()), limit, Drained.class).done();
  }

  /** As {@link EchoLoadGenerator#run}, with the generator's CPU use in the window. */
  Measured run(EchoLoadGenerator.Load load, Duration duration)
      throws IOException, InterruptedException {
    return ask(
        new Run(load.messageSize(), load.inFlight(), duration.toNanos()), duration, Measured.class);
  }

  /** Closes every connection of the generator. */
  void disconnect() throws IOException, InterruptedException {
    ask(new Disconnect(), Duration.ZERO, Count.class);
  }

  private <R extends Reply> R ask(Command command, Duration takes, Class<R> expected)
      throws IOException, InterruptedException {
    worker.channel().send(command);
    Reply reply = receive(worker, takes.plus(MARGIN));
    if (reply instanceof Failed failed) {
      throw new IOException(failed.message());
    }
    if (!expected.isInstance(reply)) {
      throw new IOException("the load generator answered " + command + " with " + reply);
    }
    return expected.cast(reply);
  }

  private static Reply receive(ConnectedWorker<Command, Reply> worker, Duration timeout)
      throws IOException, InterruptedException {
    Optional<Reply> reply;
    try {
      reply = worker.channel().receive(timeout);
    } catch (TimeoutException e) {
      throw new IOException("the load generator did not answer within " + timeout, e);
    }
    return reply.orElseThrow(
        () -> new IOException("the load generator ended: " + worker.process().failure()));
  }

  /** Ends the generator's JVM. */
  @Override
  public void close() {
    worker.close();
  }
}
