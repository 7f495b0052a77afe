package io.github.concurrencycourse.processes;

import io.github.concurrencycourse.processes.QueueProtocol.Op;
import io.github.concurrencycourse.processes.QueueProtocol.Request;
import io.github.concurrencycourse.processes.QueueProtocol.Response;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A handle's connection to its host: sends requests and matches each response to its request, so
 * any number of threads may have requests outstanding at once.
 *
 * <p>Frames are written by one writer thread and read by one reader thread, never by the threads
 * that call in: an interrupt of a thread blocked on a {@link SocketChannel} closes the channel, and
 * one interrupted {@code take} must not break the handle for every other thread. Thread-safe.
 */
final class QueueConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QueueConnection.class);

  /** How long {@link #close()} lets the writer finish sending what was queued before it. */
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

  private final Path socketPath;
  private final SocketChannel channel;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("process-queue-writer").factory());
  private final Thread reader;
  private final AtomicLong lastId = new AtomicLong();
  private final Map<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();

  /** Set once, when the connection stops working; every request from then on fails with it. */
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private QueueConnection(Path socketPath, SocketChannel channel) {
    this.socketPath = socketPath;
    this.channel = channel;
    this.reader = Thread.ofVirtual().name("process-queue-reader").unstarted(this::readResponses);
  }

  /**
   * Connects to the host listening on {@code socketPath}.
   *
   * @throws IOException if no host listens there
   */
  static QueueConnection open(Path socketPath) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socketPath));
    } catch (IOException e) {
      channel.close();
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
  record Call(long id, CompletableFuture<Response> answer) {

    /**
     * Waits for the answer.
     *
     * @throws InterruptedException if interrupted while waiting (the request stays outstanding)
     * @throws QueueHostGoneException if the host is gone
     */
    Response await() throws InterruptedException {
      try {
        return answer.get();
      } catch (ExecutionException e) {
        throw rethrow(e.getCause());
      }
    }

    /** Waits for the answer however often the thread is interrupted; the host answers promptly. */
    Response awaitUninterruptibly() {
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

  /** Sends a request and returns at once. */
  Call send(Op op, JsonNode item, long waitNanos, long ref) {
    long id = lastId.incrementAndGet();
    CompletableFuture<Response> answer = new CompletableFuture<>();
    pending.put(id, answer);
    RuntimeException failed = failure.get();
    if (failed != null) {
      pending.remove(id);
      answer.completeExceptionally(failed);
      return new Call(id, answer);
    }
    Request request = new Request(id, op, item, waitNanos, ref);
    try {
      writer.execute(() -> write(request));
    } catch (RejectedExecutionException e) {
      fail(new IllegalStateException("this process queue handle is closed"));
    }
    return new Call(id, answer);
  }

  /** Sends a request and waits, uninterruptibly, for its answer: for requests that do not wait. */
  Response ask(Op op, long ref) {
    return send(op, null, 0, ref).awaitUninterruptibly();
  }

  /**
   * Lets the writer send what is queued, then closes the channel and waits for both threads.
   * Requests still outstanding fail with {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    writer.shutdown();
    boolean interrupted = false;
    try {
      if (!writer.awaitTermination(FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "process queue handle for {}: requests unsent after {}", socketPath, FLUSH_TIMEOUT);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    fail(new IllegalStateException("this process queue handle is closed"));
    writer.shutdownNow();
    while (true) {
      try {
        writer.close();
        reader.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(Request request) {
    try {
      QueueProtocol.write(channel, request);
    } catch (IOException e) {
      fail(new QueueHostGoneException(socketPath, "cannot send a request (" + e + ")", e));
    }
  }

  private void readResponses() {
    try {
      while (true) {
        Response response = QueueProtocol.read(channel, Response.class);
        if (response == null) {
          throw new EOFException("the host closed the connection");
        }
        CompletableFuture<Response> answer = pending.remove(response.id());
        if (answer != null) {
          answer.complete(response);
        }
      }
    } catch (IOException e) {
      fail(
          new QueueHostGoneException(
              socketPath, "the connection ended (" + e.getMessage() + ")", e));
    }
  }

  /** Stops the connection: the first failure is kept and given to every outstanding request. */
  private void fail(RuntimeException cause) {
    failure.compareAndSet(null, cause);
    RuntimeException kept = failure.get();
    pending.values().forEach(answer -> answer.completeExceptionally(kept));
    pending.clear();
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("process queue handle for {}: closing the channel failed", socketPath, e);
    }
  }
}
