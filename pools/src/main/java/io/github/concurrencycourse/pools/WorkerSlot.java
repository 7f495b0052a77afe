package io.github.concurrencycourse.pools;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.pools.ProcessPool.Submission;
import io.github.concurrencycourse.pools.WorkerProtocol.TaskReply;
import io.github.concurrencycourse.pools.WorkerProtocol.TaskRequest;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One place in a {@link ProcessPool}: a thread that owns one worker JVM at a time, takes tasks from
 * the pool's queue and runs them on its worker, and starts a new worker when the last one died. It
 * ends, retiring its worker, when it takes the pool's stop marker.
 *
 * <p>Only the slot's thread uses the worker's connection; {@link #killWorker()} may be called from
 * any thread.
 */
final class WorkerSlot implements Runnable {

  /** How long a new worker JVM may take to connect. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How long a retired or dying worker may take to exit before it is killed. */
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(WorkerSlot.class);

  private static final long ACCEPT_POLL_MILLIS = 50;

  private final ProcessPool pool;

  /** Written by the slot's thread only; read by {@link #killWorker()} from any thread. */
  private volatile LiveWorker current;

  WorkerSlot(ProcessPool pool) {
    this.pool = pool;
  }

  @Override
  public void run() {
    try {
      try {
        current = start();
      } catch (WorkerDiedException e) {
        // Retried for the first task, which then fails with this exception if it happens again.
        log.warn("{}", e.getMessage());
      }
      for (Submission<?> next = pool.queue().take(); !next.isStop(); next = pool.queue().take()) {
        if (!next.future().isDone()) {
          runTask(next);
        }
      }
    } catch (InterruptedException e) {
      // Nobody interrupts a slot; if someone does, its worker is retired as on a stop.
      log.warn("{} was interrupted and ends", Thread.currentThread().getName(), e);
    } finally {
      LiveWorker last = current;
      current = null;
      if (last != null) {
        retire(last);
      }
      pool.slotEnded();
    }
  }

  /** Kills the worker this slot holds, if any; the slot notices and moves on. */
  void killWorker() {
    LiveWorker worker = current;
    if (worker != null) {
      worker.process().kill();
    }
  }

  private <R> void runTask(Submission<R> task) {
    LiveWorker worker = current;
    if (worker == null || !worker.process().isAlive()) {
      current = null;
      if (worker != null) {
        retire(worker);
      }
      try {
        worker = start();
      } catch (WorkerDiedException e) {
        task.future().completeExceptionally(e);
        return;
      }
      current = worker;
    }
    if (task.future().isDone() || pool.isStopping()) {
      // Before the cancel hook is set, so that cancelling a task that never ran kills nothing.
      task.future().cancel(false);
      return;
    }
    CancelWatch watch = new CancelWatch(worker.process());
    task.future().onCancel(watch::cancelled);
    try {
      if (task.future().isCancelled()) {
        // Cancelled before the hook was set: the task never reached the worker.
        return;
      }
      worker
          .protocol()
          .send(new TaskRequest(task.id(), task.taskClass().getName(), task.argument()));
      Optional<TaskReply> reply = worker.protocol().receive(TaskReply.class);
      if (reply.isPresent()) {
        complete(task, worker, reply.get());
      } else {
        fail(task, worker, null);
      }
    } catch (IOException | JacksonException e) {
      fail(task, worker, e);
    } finally {
      if (watch.finish()) {
        // Killed for a cancel: the reply may have arrived first, but the worker is gone. Retiring
        // is idempotent, so it does not matter whether fail() did it already.
        current = null;
        retire(worker);
      }
    }
  }

  private static <R> void complete(Submission<R> task, LiveWorker worker, TaskReply reply) {
    if (reply.threw()) {
      task.future()
          .completeExceptionally(
              new RemoteTaskException(
                  worker.name(),
                  worker.process().pid(),
                  task.taskClass().getName(),
                  reply.exceptionClass(),
                  reply.stackTrace()));
      return;
    }
    try {
      JsonNode result = reply.result();
      R value =
          result == null || result.isNull()
              ? null
              : WorkerProtocol.JSON.treeToValue(result, task.resultType());
      task.future().complete(value);
    } catch (JacksonException e) {
      task.future().completeExceptionally(e);
    }
  }

  /**
   * The worker died holding {@code task}, or broke the protocol: fail the task, bury the worker.
   */
  private <R> void fail(Submission<R> task, LiveWorker worker, Exception cause) {
    current = null;
    boolean broken = cause instanceof JacksonException || cause instanceof ProtocolException;
    if (broken) {
      worker.process().kill();
    }
    retire(worker);
    OptionalInt exitCode = worker.process().exitCode();
    String how =
        exitCode.isPresent()
            ? WorkerDiedException.describeExit(exitCode.getAsInt())
            : "did not exit within " + EXIT_TIMEOUT.toSeconds() + " s of closing its connection";
    StringBuilder message =
        new StringBuilder("worker '")
            .append(worker.name())
            .append("' (pid ")
            .append(worker.process().pid())
            .append(") ");
    if (broken) {
      message.append("sent a reply the pool cannot read and was killed: ").append(cause);
    } else {
      message.append("died running task ").append(task.taskClass().getName()).append(": ");
      message.append(how);
    }
    if (pool.isStopping()) {
      message.append("; the pool was stopped with shutdownNow");
    }
    task.future()
        .completeExceptionally(
            new WorkerDiedException(
                message.toString(), worker.name(), worker.process().pid(), exitCode, cause));
  }

  /** Starts a worker JVM and waits for it to connect. */
  private LiveWorker start() throws WorkerDiedException {
    String name = pool.nextWorkerName();
    Path socket = pool.socketDirectory().resolve(name.substring(name.lastIndexOf('-') + 1) + ".s");
    WorkerProcess process = null;
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      server.bind(UnixDomainSocketAddress.of(socket));
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      process = pool.launcher().withName(name).start(ProcessPoolWorker.class, socket.toString());
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (true) {
        SocketChannel channel = server.accept();
        if (channel != null) {
          channel.configureBlocking(true);
          return new LiveWorker(name, process, channel, new WorkerProtocol(channel));
        }
        if (!process.isAlive()) {
          throw new WorkerDiedException(
              "worker '"
                  + name
                  + "' (pid "
                  + process.pid()
                  + ") could not start: it "
                  + WorkerDiedException.describeExit(process.exitCode().orElse(-1))
                  + " before connecting to the pool; its standard error says why",
              name,
              process.pid(),
              process.exitCode());
        }
        if (System.nanoTime() - deadline > 0) {
          process.close();
          throw new WorkerDiedException(
              "worker '"
                  + name
                  + "' (pid "
                  + process.pid()
                  + ") did not connect to the pool within "
                  + START_TIMEOUT.toSeconds()
                  + " s and was killed",
              name,
              process.pid(),
              process.exitCode());
        }
        selector.select(ACCEPT_POLL_MILLIS);
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      if (process != null) {
        process.close();
      }
      throw new WorkerDiedException(
          "worker '" + name + "' could not be started: " + e,
          name,
          process == null ? -1 : process.pid(),
          process == null ? OptionalInt.empty() : process.exitCode(),
          e);
    } finally {
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        log.warn("cannot delete socket {}", socket, e);
      }
    }
  }

  /**
   * Closes the connection, which tells a live worker to exit, waits for it to exit and kills it if
   * it does not.
   */
  private static void retire(LiveWorker worker) {
    try {
      worker.channel().close();
    } catch (IOException e) {
      log.debug("closing the connection of {} failed", worker.name(), e);
    }
    try {
      if (!worker.process().join(EXIT_TIMEOUT)) {
        log.warn("worker {} did not exit within {}; killing it", worker.name(), EXIT_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.process().close();
  }

  /** A started, connected worker. */
  private record LiveWorker(
      String name, WorkerProcess process, SocketChannel channel, WorkerProtocol protocol) {}

  /** Kills the worker running a task whose future is cancelled while the task runs. */
  private static final class CancelWatch {

    private final WorkerProcess process;

    @GuardedBy("this")
    private boolean running = true;

    @GuardedBy("this")
    private boolean killed;

    CancelWatch(WorkerProcess process) {
      this.process = process;
    }

    synchronized void cancelled() {
      if (running) {
        killed = true;
        process.kill();
      }
    }

    /** Ends the watch; whether the worker was killed. */
    synchronized boolean finish() {
      running = false;
      return killed;
    }
  }
}
