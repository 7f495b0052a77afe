package io.github.concurrencycourse.processes;

import io.github.concurrencycourse.common.concurrent.Uninterruptibly;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.processes.QueueRequest.Op;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * A handle's connection to its host: sends requests over a {@link MessageChannel} and matches each
 * response to its request, so any number of threads may have requests outstanding at once. One
 * thread of its own receives the responses; the threads that call in only send, which a channel
 * lets any thread do, interrupted or not. Thread-safe.
 */
final class QueueConnection implements AutoCloseable {

  private final Path socketPath;
  private final MessageChannel<QueueRequest, QueueResponse> channel;
  private final Thread reader;
  private final AtomicLong lastId = new AtomicLong();
  private final Map<Long, CompletableFuture<QueueResponse>> pending = new ConcurrentHashMap<>();

  /** Set once, when the connection stops working; every request from then on fails with it. */
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private QueueConnection(Path socketPath, MessageChannel<QueueRequest, QueueResponse> channel) {
    this.socketPath = socketPath;
    this.channel = channel;
    // A platform thread: a channel waits in a selector, which would hold a virtual thread's
    // carrier.
    this.reader =
        Thread.ofPlatform().daemon().name("process-queue-reader").unstarted(this::readResponses);
  }

  /**
   * Connects to the host listening on {@code socketPath}.
   *
   * @throws IOException if no host listens there
   */
  static QueueConnection open(Path socketPath) throws IOException {
    MessageChannel<QueueRequest, QueueResponse> channel;
    try {
      channel = MessageChannel.connect(socketPath, QueueRequest.class, QueueResponse.class);
    } catch (IOException e) {
      throw new IOException("no process queue host listens on " + socketPath + ": " + e, e);
    }
    QueueConnection connection = new QueueConnection(socketPath, channel);
    connection.reader.start();
    return connection;
  }

  /** The host's socket file. */
  Path socketPath() {
    return socketPath;
  }

  /** A request on its way, and its answer to come. */
  record Call(long id, CompletableFuture<QueueResponse> answer) {

    /**
     * Waits for the answer.
     *
     * @throws InterruptedException if interrupted while waiting (the request stays outstanding)
     * @throws QueueHostGoneException if the host is gone
     */
    QueueResponse await() throws InterruptedException {
      try {
        return answer.get();
      } catch (ExecutionException e) {
        throw rethrow(e.getCause());
      }
    }

    /** Waits for the answer however often the thread is interrupted; the host answers promptly. */
    QueueResponse awaitUninterruptibly() {
      try {
        return answer.join();
      } catch (CompletionException e) {
        throw rethrow(e.getCause());
      }
    }

    /** A new exception per call, so that each carries the stack of the thread that waited. */
    private static RuntimeException rethrow(Throwable cause) {
      if (cause instanceof QueueHostGoneException gone) {
        return gone.again();
      }
      return new IllegalStateException(cause.getMessage(), cause);
    }
  }

  /** Sends a request; returns once it is on its way. */
  Call send(Op op, JsonNode item, long waitNanos, long ref) {
    long id = lastId.incrementAndGet();
    CompletableFuture<QueueResponse> answer = new CompletableFuture<>();
    pending.put(id, answer);
    RuntimeException failed = failure.get();
    if (failed != null) {
      pending.remove(id);
      answer.completeExceptionally(failed);
      return new Call(id, answer);
    }
    try {
      channel.send(new QueueRequest(id, op, item, waitNanos, ref));
    } catch (IOException e) {
      fail(new QueueHostGoneException(socketPath, "cannot send a request (" + e + ")", e));
    }
    return new Call(id, answer);
  }

  /** Sends a request and waits, uninterruptibly, for its answer: for requests that do not wait. */
  QueueResponse ask(Op op, long ref) {
    return send(op, null, 0, ref).awaitUninterruptibly();
  }

  /**
   * Closes the channel and waits for the reader. Requests still outstanding fail with {@link
   * IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    fail(new IllegalStateException("this process queue handle is closed"));
    Uninterruptibly.await(reader::join);
  }

  private void readResponses() {
    try {
      for (Optional<QueueResponse> response = channel.receive();
          response.isPresent();
          response = channel.receive()) {
        CompletableFuture<QueueResponse> answer = pending.remove(response.get().id());
        if (answer != null) {
          answer.complete(response.get());
        }
      }
      fail(new QueueHostGoneException(socketPath, "the host closed the connection", null));
    } catch (IOException e) {
      fail(
          new QueueHostGoneException(
              socketPath, "the connection ended (" + e.getMessage() + ")", e));
    } catch (InterruptedException e) {
      // Nobody interrupts this thread; if someone does, the handle can no longer hear the host.
      fail(new QueueHostGoneException(socketPath, "its reader was interrupted", e));
    }
  }

  /** Stops the connection: the first failure is kept and given to every outstanding request. */
  private void fail(RuntimeException cause) {
    failure.compareAndSet(null, cause);
    RuntimeException kept = failure.get();
    pending.values().forEach(answer -> answer.completeExceptionally(kept));
    pending.clear();
    channel.close();
  }
}
