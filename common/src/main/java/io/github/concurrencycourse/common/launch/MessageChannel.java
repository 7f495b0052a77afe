package io.github.concurrencycourse.common.launch;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A two-way channel of typed messages between two processes of this machine: the one way in which a
 * parent JVM and its child JVMs, or any JVMs that share a socket path, talk to each other. It sends
 * messages of type {@code O} and receives messages of type {@code I}; the peer's end has the two
 * types the other way round.
 *
 * <p><b>Getting one.</b> A parent starts a child with {@link WorkerLauncher#startConnected} and
 * finds its end in {@link ConnectedWorker#channel()}; the child takes the other end with {@link
 * #toParent}. A process that serves many peers opens a {@link ChannelServer} and accepts them; a
 * peer {@linkplain #connect connects} to the server's socket path.
 *
 * <pre>{@code
 * // in the parent
 * try (ConnectedWorker<Job, Result> worker =
 *     launcher.startConnected(Solver.class, List.of(), Job.class, Result.class)) {
 *   worker.channel().send(new Job(42));
 *   Result result = worker.channel().receive().orElseThrow();
 * }
 *
 * // in the child, in Solver.run
 * try (MessageChannel<Result, Job> parent = MessageChannel.toParent(Result.class, Job.class)) {
 *   for (Optional<Job> job = parent.receive(); job.isPresent(); job = parent.receive()) {
 *     parent.send(solve(job.get()));
 *   }
 * }
 * }</pre>
 *
 * <p><b>On the wire</b> a Unix domain socket carries frames both ways: a 4-byte big-endian length,
 * then that many bytes of UTF-8 JSON holding one message, as Jackson writes and reads the message
 * type (records, enums, collections; a sealed interface with {@code @JsonTypeInfo} for several
 * kinds of message; {@link Void} for a direction that carries nothing). A frame is at most {@link
 * #MAX_FRAME_BYTES} long, the one limit on both sides. A process's standard output is never part of
 * the channel, so whatever a child prints cannot corrupt a message.
 *
 * <p><b>Sending.</b> {@link #send} writes the message as JSON first, so a message Jackson cannot
 * write, or one longer than the limit, is refused with {@link IllegalArgumentException} before
 * anything is sent, and the channel stays usable. It then returns once the whole frame has been
 * handed to the operating system; it waits only while the peer does not read (its socket buffers
 * are full). Frames are never cut or interleaved: messages sent by one thread arrive in the order
 * sent, and concurrent senders' messages arrive whole, in some order. A send is not abandoned
 * halfway, so it does not respond to interrupts (an interrupt is kept for the caller to see); to
 * end a send that waits for a peer that has stopped reading, close the channel from another thread.
 *
 * <p><b>Receiving.</b> {@link #receive()} waits for the next message; {@link #receive(Duration)}
 * waits at most the given time and throws {@link TimeoutException} when nothing came. Both respond
 * to interrupts with {@link InterruptedException}, and the channel is unharmed: a message that was
 * arriving meanwhile goes to the next receive. Each message goes to exactly one receiver. The
 * channel reads ahead a little (up to about 1 MiB of messages, or one larger message), then stops
 * reading until they are received, so a peer that sends faster than this side receives ends up
 * waiting in its {@code send}.
 *
 * <p><b>End of stream.</b> When the peer closes its end between two messages (its {@link #close()},
 * or its process exits or is killed), every message it sent before is received first, then {@code
 * receive} returns {@link Optional#empty()}, and returns it again on every later call. A peer that
 * ends in the middle of a frame (it died while sending) makes {@code receive} throw {@link
 * EOFException} saying how much of the frame arrived; a peer that ends while messages sent to it
 * were still unread may reset the connection instead, an {@link IOException}. Sending to a peer
 * that has gone fails with an {@link IOException} such as "Broken pipe".
 *
 * <p><b>Bad input</b> closes this channel only. A frame whose length is out of range (checked
 * before anything is allocated), or whose bytes are not one JSON message of type {@code I}, makes
 * {@code receive} throw {@link MalformedFrameException} once the messages before it have been
 * received; the channel is then closed, the peer sees its end of stream, and further calls throw
 * {@link ClosedChannelException}.
 *
 * <p><b>Threads and closing.</b> Thread-safe: any number of threads may send and receive at once.
 * Each channel has two virtual threads of its own, one that reads and one that writes, so that an
 * interrupted caller never closes the socket (an interrupt closes any {@code SocketChannel} an
 * interrupted thread is blocked in). {@link #close()} closes the socket, wakes every thread waiting
 * in {@code send} or {@code receive} (they throw {@link ClosedChannelException}), and returns once
 * both threads have ended. Those threads are daemons: a channel that is never closed does not keep
 * its JVM alive.
 *
 * <p><b>Memory consistency.</b> Only a message's JSON travels; a receiver sees what the message
 * carries and no other effect of the sender, not even between two threads of one JVM.
 *
 * @param <O> the type of the messages this end sends
 * @param <I> the type of the messages this end receives
 */
public final class MessageChannel<O, I> implements AutoCloseable {

  /**
   * The largest frame either end sends or accepts, 64 MiB: a bound on what a peer can make this
   * process allocate, and far beyond any message these channels carry.
   */
  public static final int MAX_FRAME_BYTES = 64 << 20;

  /** How many bytes of received messages wait, at most, before the reader stops reading. */
  static final int READ_AHEAD_BYTES = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(MessageChannel.class);

  /** Rejects a frame that holds more than one JSON value. */
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final int READ_BUFFER_BYTES = 64 * 1024;

  /** Tells the writer thread to end; queued by {@link #close()} behind every frame. */
  private static final Frame STOP = new Frame(new byte[0]);

  private final SocketChannel socket;
  private final Path socketPath;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final String incomingName;
  private final Thread readerThread;
  private final Thread writerThread;

  /** Frames on their way to the writer thread. */
  private final LinkedBlockingQueue<Frame> outbox = new LinkedBlockingQueue<>();

  /** Touched by the reader thread only. */
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES).flip();

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled when a message, the end of the stream, a failure or the close arrives. */
  private final Condition arrived = lock.newCondition();

  /** Signalled when received messages leave room to read ahead, and on close. */
  private final Condition room = lock.newCondition();

  @GuardedBy("lock")
  private final ArrayDeque<Received<I>> inbox = new ArrayDeque<>();

  @GuardedBy("lock")
  private long inboxBytes;

  @GuardedBy("lock")
  private boolean endOfStream;

  /** Why reading stopped, other than a clean end of stream or the close; the socket is closed. */
  @GuardedBy("lock")
  private IOException readFailure;

  @GuardedBy("lock")
  private boolean readFailureReported;

  @GuardedBy("lock")
  private boolean closed;

  private MessageChannel(
      SocketChannel socket, Path socketPath, Class<O> outgoing, Class<I> incoming) {
    this.socket = socket;
    this.socketPath = socketPath;
    this.writer = JSON.writerFor(outgoing);
    this.reader = JSON.readerFor(incoming);
    this.incomingName = incoming.getName();
    this.readerThread =
        Thread.ofVirtual().name("message-channel-reader").unstarted(this::readFrames);
    this.writerThread =
        Thread.ofVirtual().name("message-channel-writer").unstarted(this::writeFrames);
  }

  /** A channel over {@code socket}, a connected blocking socket that it owns from now on. */
  static <O, I> MessageChannel<O, I> over(
      SocketChannel socket, Path socketPath, Class<O> outgoing, Class<I> incoming) {
    MessageChannel<O, I> channel =
        new MessageChannel<>(
            socket,
            socketPath,
            Objects.requireNonNull(outgoing, "outgoing"),
            Objects.requireNonNull(incoming, "incoming"));
    channel.readerThread.start();
    channel.writerThread.start();
    return channel;
  }

  /**
   * Connects to the {@link ChannelServer} listening on {@code socketPath}.
   *
   * @param outgoing the type of the messages this end sends
   * @param incoming the type of the messages this end receives
   * @throws IOException if nothing listens there, saying where
   */
  public static <O, I> MessageChannel<O, I> connect(
      Path socketPath, Class<O> outgoing, Class<I> incoming) throws IOException {
    Objects.requireNonNull(socketPath, "socketPath");
    Objects.requireNonNull(outgoing, "outgoing");
    Objects.requireNonNull(incoming, "incoming");
    SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      socket.connect(UnixDomainSocketAddress.of(socketPath));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw new IOException("cannot connect to " + socketPath + ": " + e, e);
    }
    return over(socket, socketPath, outgoing, incoming);
  }

  /**
   * In a child JVM started with {@link WorkerLauncher#startConnected}: this end of the channel to
   * the parent, which the child connected before its task began. It can be taken once.
   *
   * @param outgoing the type of the messages the child sends (the parent's incoming type)
   * @param incoming the type of the messages the child receives (the parent's outgoing type)
   * @throws IllegalStateException if this JVM was not started with a channel to its parent, or the
   *     channel was taken already
   */
  public static <O, I> MessageChannel<O, I> toParent(Class<O> outgoing, Class<I> incoming) {
    Objects.requireNonNull(outgoing, "outgoing");
    Objects.requireNonNull(incoming, "incoming");
    ParentConnection.Connected parent = ParentConnection.claim();
    return over(parent.socket(), parent.socketPath(), outgoing, incoming);
  }

  /** The socket file of the server this channel belongs to. */
  public Path socketPath() {
    return socketPath;
  }

  /**
   * Sends {@code message}, returning once its whole frame is handed to the operating system. See
   * the class comment for what it waits for and why it ignores interrupts.
   *
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalArgumentException if Jackson cannot write {@code message}, or its JSON is longer
   *     than {@link #MAX_FRAME_BYTES}; nothing was sent and the channel is unharmed
   * @throws ClosedChannelException if the channel is closed, or closes while this waits
   * @throws IOException if the peer has gone or the socket fails; the channel sends nothing more
   */
  public void send(O message) throws IOException {
    Objects.requireNonNull(message, "a message channel sends no null");
    byte[] body = encode(message);
    Frame frame = new Frame(body);
    lock.lock();
    try {
      if (closed || readFailure != null) {
        throw closedException();
      }
      outbox.add(frame);
    } finally {
      lock.unlock();
    }
    try {
      frame.written.join();
    } catch (CompletionException e) {
      throw sendFailure(e.getCause());
    }
  }

  /**
   * Waits for the next message.
   *
   * @return the message, or empty once the peer has closed its end and every message it sent has
   *     been received
   * @throws InterruptedException if interrupted while waiting; the channel is unharmed
   * @throws MalformedFrameException if the peer sent a frame that breaks the format (see the class
   *     comment); the channel is now closed
   * @throws EOFException if the peer ended in the middle of a frame; the channel is now closed
   * @throws ClosedChannelException if the channel is closed, or closes while this waits
   * @throws IOException if reading from the socket failed; the channel is now closed
   */
  public Optional<I> receive() throws IOException, InterruptedException {
    return take(-1);
  }

  /**
   * Waits up to {@code timeout} for the next message; as {@link #receive()} otherwise. A zero or
   * negative timeout does not wait.
   *
   * @throws TimeoutException if no message, end of stream or failure came within {@code timeout};
   *     the channel is unharmed
   */
  public Optional<I> receive(Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    long nanos;
    try {
      nanos = Math.max(0, timeout.toNanos());
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE;
    }
    Optional<I> message = take(nanos);
    if (message == null) {
      throw new TimeoutException("no message from " + socketPath + " within " + timeout);
    }
    return message;
  }

  /**
   * Whether the channel still works: it was not closed, and no malformed frame or I/O error closed
   * it. A peer's clean end of stream leaves it open.
   */
  public boolean isOpen() {
    lock.lock();
    try {
      return !closed && readFailure == null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the socket, so the peer sees its end of stream; wakes every thread waiting in {@code
   * send} or {@code receive}; returns once the channel's own threads have ended. Messages received
   * and not yet taken are dropped. Idempotent; never throws.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        arrived.signalAll();
        room.signalAll();
        outbox.add(STOP);
      }
    } finally {
      lock.unlock();
    }
    closeSocket();
    boolean interrupted = false;
    for (Thread thread : List.of(readerThread, writerThread)) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "MessageChannel[" + socketPath + (isOpen() ? "]" : ", closed]");
  }

  /** The channel's own threads, for the tests that check that close ends them. */
  List<Thread> threads() {
    return List.of(readerThread, writerThread);
  }

  /**
   * Takes the next message, waiting up to {@code nanos} (forever if negative).
   *
   * @return the message, empty at the end of the stream, {@code null} if the time ran out
   */
  private Optional<I> take(long nanos) throws IOException, InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        if (closed) {
          throw closedException();
        }
        Received<I> next = inbox.pollFirst();
        if (next != null) {
          inboxBytes -= next.bytes();
          room.signal();
          return Optional.of(next.message());
        }
        if (readFailure != null) {
          if (!readFailureReported) {
            readFailureReported = true;
            throw readFailure;
          }
          throw closedException();
        }
        if (endOfStream) {
          return Optional.empty();
        }
        if (nanos < 0) {
          arrived.await();
        } else if (nanos == 0) {
          return null;
        } else {
          nanos = Math.max(0, arrived.awaitNanos(nanos));
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private byte[] encode(O message) {
    byte[] body;
    try {
      body = writer.writeValueAsBytes(message);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "cannot write " + message.getClass().getName() + " as JSON: " + e.getOriginalMessage(),
          e);
    }
    if (body.length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "a "
              + message.getClass().getName()
              + " of "
              + body.length
              + " bytes of JSON exceeds the limit of "
              + MAX_FRAME_BYTES
              + " bytes of a message channel's frame");
    }
    return body;
  }

  /** The writer thread: writes each queued frame whole, in order, until {@link #STOP}. */
  private void writeFrames() {
    IOException broken = null;
    while (true) {
      Frame frame;
      try {
        frame = outbox.take();
      } catch (InterruptedException e) {
        // Nobody interrupts this thread; if someone does, the close that follows ends it.
        continue;
      }
      if (frame == STOP) {
        return;
      }
      if (broken == null) {
        try {
          write(frame.body);
          frame.written.complete(null);
          continue;
        } catch (IOException e) {
          broken = e;
        }
      }
      frame.written.completeExceptionally(broken);
    }
  }

  private void write(byte[] body) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(Integer.BYTES).putInt(body.length).flip();
    ByteBuffer payload = ByteBuffer.wrap(body);
    ByteBuffer[] frame = {header, payload};
    while (payload.hasRemaining()) {
      socket.write(frame);
    }
  }

  /** The reader thread: reads, decodes and hands over frames until the stream ends or breaks. */
  private void readFrames() {
    try {
      while (true) {
        byte[] body = readFrame();
        if (body == null) {
          lock.lock();
          try {
            endOfStream = true;
            arrived.signalAll();
          } finally {
            lock.unlock();
          }
          return;
        }
        if (!deliver(decode(body), body.length)) {
          return;
        }
      }
    } catch (IOException e) {
      readFailed(e);
    }
  }

  /**
   * Reads one frame.
   *
   * @return its body, or {@code null} if the stream ended cleanly before it
   */
  private byte[] readFrame() throws IOException {
    byte[] header = new byte[Integer.BYTES];
    int got = readFully(header);
    if (got == 0) {
      return null;
    }
    if (got < header.length) {
      throw new EOFException(
          "the peer ended after "
              + got
              + " of the 4 bytes of a frame's length (it died while sending?)");
    }
    int length = ByteBuffer.wrap(header).getInt();
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new MalformedFrameException(
          "a frame's length of "
              + Integer.toUnsignedString(length)
              + " bytes is outside 0.."
              + MAX_FRAME_BYTES);
    }
    byte[] body = new byte[length];
    got = readFully(body);
    if (got < length) {
      throw new EOFException(
          "the peer ended after "
              + got
              + " of the "
              + length
              + " bytes of a frame (it died while sending?)");
    }
    return body;
  }

  /** Fills {@code target} from the socket; returns how much it filled before the stream ended. */
  private int readFully(byte[] target) throws IOException {
    int filled = 0;
    while (filled < target.length) {
      if (!readBuffer.hasRemaining()) {
        readBuffer.clear();
        int read = socket.read(readBuffer);
        readBuffer.flip();
        if (read < 0) {
          return filled;
        }
      }
      int chunk = Math.min(readBuffer.remaining(), target.length - filled);
      readBuffer.get(target, filled, chunk);
      filled += chunk;
    }
    return filled;
  }

  private I decode(byte[] body) throws MalformedFrameException {
    I message;
    try {
      message = reader.readValue(body);
    } catch (JacksonException e) {
      throw new MalformedFrameException(
          "a frame of "
              + body.length
              + " bytes is not a "
              + incomingName
              + " in JSON: "
              + e.getOriginalMessage(),
          e);
    }
    if (message == null) {
      throw new MalformedFrameException("a frame holds JSON null, not a " + incomingName);
    }
    return message;
  }

  /**
   * Queues a received message for the receivers, first waiting for room to read ahead.
   *
   * @return {@code false} if the channel was closed meanwhile
   */
  private boolean deliver(I message, int bytes) {
    lock.lock();
    try {
      while (!closed && !inbox.isEmpty() && inboxBytes + bytes > READ_AHEAD_BYTES) {
        room.awaitUninterruptibly();
      }
      if (closed) {
        return false;
      }
      inbox.addLast(new Received<>(message, bytes));
      inboxBytes += bytes;
      arrived.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Reading failed: unless the channel was closed anyway, keep why and close the socket. */
  private void readFailed(IOException failure) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      readFailure = failure;
      arrived.signalAll();
      // No send is accepted from now on, so the writer ends once it has failed those queued.
      outbox.add(STOP);
    } finally {
      lock.unlock();
    }
    log.debug("message channel {} stops reading", socketPath, failure);
    closeSocket();
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the socket of message channel {} failed", socketPath, e);
    }
  }

  /** The exception for a send or receive on a closed channel, with why it closed as the cause. */
  @GuardedBy("lock")
  private ClosedChannelException closedException() {
    ClosedChannelException e = new ClosedChannelException();
    if (!closed && readFailure != null) {
      e.initCause(readFailure);
    }
    return e;
  }

  /** A new exception for the sender, so that it carries the sender's stack. */
  private IOException sendFailure(Throwable cause) {
    if (cause instanceof ClosedChannelException || isClosedLocally()) {
      ClosedChannelException closedNow =
          cause instanceof AsynchronousCloseException
              ? new AsynchronousCloseException()
              : new ClosedChannelException();
      closedNow.initCause(cause);
      return closedNow;
    }
    return new IOException("cannot send to " + socketPath + ": " + cause.getMessage(), cause);
  }

  private boolean isClosedLocally() {
    lock.lock();
    try {
      return closed || readFailure != null;
    } finally {
      lock.unlock();
    }
  }

  /** A message as received, with the size of its frame. */
  private record Received<I>(I message, int bytes) {}

  /** A frame's body on its way to the socket, and when it is written. */
  private static final class Frame {
    final byte[] body;
    final CompletableFuture<Void> written = new CompletableFuture<>();

    Frame(byte[] body) {
      this.body = body;
    }
  }
}
