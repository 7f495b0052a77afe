package io.github.concurrencycourse.pools;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.launch.ConnectedWorker;
import io.github.concurrencycourse.common.launch.MalformedFrameException;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerStartException;
import io.github.concurrencycourse.pools.ProcessPool.Submission;
import io.github.concurrencycourse.pools.ProcessPoolWorker.TaskReply;
import io.github.concurrencycourse.pools.ProcessPoolWorker.TaskRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
 * <p>Only the slot's thread uses the worker's channel; {@link #killWorker()} may be called from any
 * thread.
 */
final class WorkerSlot implements Runnable {

  /** How long a new worker JVM may take to connect. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How long a retired or dying worker may take to exit before it is killed. */
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(WorkerSlot.class);

  private final ProcessPool pool;

  /** Written by the slot's thread only; read by {@link #killWorker()} from any thread. */
  private volatile ConnectedWorker<TaskRequest, TaskReply> current;

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
      ConnectedWorker<TaskRequest, TaskReply> last = current;
      current = null;
      if (last != null) {
        retire(last);
      }
      pool.slotEnded();
    }
  }

  /** Kills the worker this slot holds, if any; the slot notices and moves on. */
  void killWorker() {
    ConnectedWorker<TaskRequest, TaskReply> worker = current;
    if (worker != null) {
      worker.process().kill();
    }
  }

  private <R> void runTask(Submission<R> task) {
    ConnectedWorker<TaskRequest, TaskReply> worker = current;
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
          .channel()
          .send(new TaskRequest(task.id(), task.taskClass().getName(), task.argument()));
      Optional<TaskReply> reply = worker.channel().receive();
      if (reply.isPresent()) {
        complete(task, worker, reply.get());
      } else {
        fail(task, worker, null);
      }
    } catch (IllegalArgumentException e) {
      // The request itself could not be sent (its JSON is over the channel's limit): the worker
      // never saw it and serves on.
      task.future().completeExceptionally(e);
    } catch (IOException e) {
      fail(task, worker, e);
    } catch (InterruptedException e) {
      // Nobody interrupts a slot; if someone does, its worker is retired as on a stop.
      Thread.currentThread().interrupt();
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

  private static <R> void complete(
      Submission<R> task, ConnectedWorker<TaskRequest, TaskReply> worker, TaskReply reply) {
    if (reply.threw()) {
      task.future()
          .completeExceptionally(
              new RemoteTaskException(
                  worker.process().name(),
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
              : ProcessPoolWorker.JSON.treeToValue(result, task.resultType());
      task.future().complete(value);
    } catch (JacksonException e) {
      task.future().completeExceptionally(e);
    }
  }

  /**
   * The worker died holding {@code task}, or sent a malformed reply: fail the task, bury the
   * worker.
   */
  private <R> void fail(
      Submission<R> task, ConnectedWorker<TaskRequest, TaskReply> worker, Exception cause) {
    current = null;
    boolean broken = cause instanceof MalformedFrameException;
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
            .append(worker.process().name())
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
                message.toString(),
                worker.process().name(),
                worker.process().pid(),
                exitCode,
                cause));
  }

  /** Starts a worker JVM and waits for it to connect. */
  private ConnectedWorker<TaskRequest, TaskReply> start() throws WorkerDiedException {
    String name = pool.nextWorkerName();
    try {
      return pool.launcher()
          .withName(name)
          .startConnected(ProcessPoolWorker.class, List.of(), TaskRequest.class, TaskReply.class);
    } catch (WorkerStartException e) {
      String how =
          e.exitCode().isPresent()
              ? "could not start: it "
                  + WorkerDiedException.describeExit(e.exitCode().getAsInt())
                  + " before connecting to the pool; its standard error says why"
              : "did not connect to the pool within "
                  + START_TIMEOUT.toSeconds()
                  + " s and was killed";
      throw new WorkerDiedException(
          "worker '" + name + "' (pid " + e.pid() + ") " + how, name, e.pid(), e.exitCode(), e);
    } catch (IOException e) {
      throw new WorkerDiedException(
          "worker '" + name + "' could not be started: " + e, name, -1, OptionalInt.empty(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerDiedException(
          "worker '" + name + "' was not started: its slot was interrupted",
          name,
          -1,
          OptionalInt.empty(),
          e);
    }
  }

  /**
   * Closes the connection, which tells a live worker to exit, waits for it to exit and kills it if
   * it does not.
   */
  private static void retire(ConnectedWorker<TaskRequest, TaskReply> worker) {
    worker.channel().close();
    try {
      if (!worker.process().join(EXIT_TIMEOUT)) {
        log.warn(
            "worker {} did not exit within {}; killing it", worker.process().name(), EXIT_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.process().close();
  }

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
