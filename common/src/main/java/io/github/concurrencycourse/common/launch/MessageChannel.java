package io.github.concurrencycourse.common.launch;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * handed to the operating system; it waits only while the peer does not read (the sockets' buffers,
 * a few hundred KiB, are full), so a sender faster than its receiver is held back instead of
 * filling memory. Frames are never cut or interleaved: messages sent by one thread arrive in the
 * order sent, and concurrent senders' messages arrive whole, in some order. A send is not abandoned
 * halfway, so it does not respond to interrupts (an interrupt is kept for the caller to see); to
 * end a send that waits for a peer that has stopped reading, close the channel from another thread.
 *
 * <p><b>Receiving.</b> {@link #receive()} waits for the next message; {@link #receive(Duration)}
 * waits at most the given time and throws {@link TimeoutException} when nothing came. Both respond
 * to interrupts with {@link InterruptedException}, and the channel is unharmed: the part of a frame
 * that had arrived is kept for the next receive. Each message goes to exactly one receiver.
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
 * received; the socket is then closed, the peer sees its end of stream, and further calls throw
 * {@link ClosedChannelException}.
 *
 * <p><b>Threads.</b> Thread-safe: any number of threads may send and receive at once. A channel has
 * no thread of its own: {@code send} and {@code receive} do their I/O on the calling thread, with
 * the socket in non-blocking mode, and wait for it in a {@link Selector}. That is why an interrupt
 * never closes the socket (it would close a {@code SocketChannel} that an interrupted thread is
 * blocked in) and a wait can have a timeout. A virtual thread that waits in a selector keeps its
 * carrier thread while it waits, so a process that keeps many channels waiting at once receives on
 * platform threads, as the course's queue host does. {@link #close()} closes the socket, wakes
 * every thread waiting in {@code send} or {@code receive} (they throw {@link
 * ClosedChannelException}), and returns once they have left.
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

  private static final Logger log = LoggerFactory.getLogger(MessageChannel.class);

  /** Rejects a frame that holds more than one JSON value. */
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final int READ_BUFFER_BYTES = 64 * 1024;

  private final SocketChannel socket;
  private final Path socketPath;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final String incomingName;
  private final Selector readable;
  private final Selector writable;

  /** Held by the thread that receives; guards the read state below. */
  private final ReentrantLock readLock = new ReentrantLock();

  /** Held by the thread that sends, for a whole frame. */
  private final ReentrantLock writeLock = new ReentrantLock();

  /** Bytes read from the socket and not yet taken into a frame, between position and limit. */
  @GuardedBy("readLock")
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES).flip();

  /** The length of the frame being read, as far as it has arrived. */
  @GuardedBy("readLock")
  private final ByteBuffer header = ByteBuffer.allocate(Integer.BYTES);

  /** The body of the frame being read, once its length is known; {@code null} between frames. */
  @GuardedBy("readLock")
  private byte[] body;

  @GuardedBy("readLock")
  private int bodyFilled;

  @GuardedBy("readLock")
  private boolean endOfStream;

  @GuardedBy("readLock")
  private boolean readFailureReported;

  /**
   * Why the peer's input broke the channel, which is then closed; {@code null} while it has not.
   */
  private volatile IOException readFailure;

  /** Why the last send failed (the peer has gone); every later send fails as well. */
  @GuardedBy("writeLock")
  private IOException writeFailure;

  /** Whether {@link #close()} was called. */
  private volatile boolean closed;

  private MessageChannel(
      SocketChannel socket,
      Path socketPath,
      Class<O> outgoing,
      Class<I> incoming,
      Selector readable,
      Selector writable) {
    this.socket = socket;
    this.socketPath = socketPath;
    this.writer = JSON.writerFor(outgoing);
    this.reader = JSON.readerFor(incoming);
    this.incomingName = incoming.getName();
    this.readable = readable;
    this.writable = writable;
  }

  /**
   * A channel over {@code socket}, a connected socket that it owns from now on: it is closed if the
   * channel cannot be made.
   */
  static <O, I> MessageChannel<O, I> over(
      SocketChannel socket, Path socketPath, Class<O> outgoing, Class<I> incoming)
      throws IOException {
    Selector readable = null;
    Selector writable = null;
    try {
      Objects.requireNonNull(outgoing, "outgoing");
      Objects.requireNonNull(incoming, "incoming");
      socket.configureBlocking(false);
      readable = Selector.open();
      socket.register(readable, SelectionKey.OP_READ);
      writable = Selector.open();
      socket.register(writable, SelectionKey.OP_WRITE);
      return new MessageChannel<>(socket, socketPath, outgoing, incoming, readable, writable);
    } catch (IOException | RuntimeException e) {
      for (Closeable opened : new Closeable[] {socket, readable, writable}) {
        if (opened != null) {
          try {
            opened.close();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
      }
      throw e;
    }
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
   * @throws IOException if the channel cannot be set up over the connection
   */
  public static <O, I> MessageChannel<O, I> toParent(Class<O> outgoing, Class<I> incoming)
      throws IOException {
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
    byte[] json = encode(message);
    ByteBuffer[] frame = {
      ByteBuffer.allocate(Integer.BYTES).putInt(json.length).flip(), ByteBuffer.wrap(json)
    };
    // Kept aside and restored at the end: a pending interrupt would make every wait return at once.
    boolean interrupted = Thread.interrupted();
    writeLock.lock();
    try {
      if (writeFailure != null) {
        throw sendFailed(writeFailure);
      }
      try {
        interrupted |= writeWhole(frame);
      } catch (ClosedChannelException e) {
        throw closedException(e);
      } catch (IOException e) {
        if (closed || readFailure != null) {
          throw closedException(e);
        }
        writeFailure = e;
        throw sendFailed(e);
      }
    } finally {
      writeLock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Writes {@code frame} to the end, waiting for room as often as needed.
   *
   * @return whether the thread was interrupted while it waited
   */
  @GuardedBy("writeLock")
  private boolean writeWhole(ByteBuffer[] frame) throws IOException {
    boolean interrupted = false;
    while (frame[frame.length - 1].hasRemaining()) {
      throwIfClosed();
      if (socket.write(frame) == 0) {
        writable.selectedKeys().clear();
        writable.select();
        interrupted |= Thread.interrupted();
      }
    }
    return interrupted;
  }

  private IOException sendFailed(IOException cause) {
    return new IOException("cannot send to " + socketPath + ": " + cause.getMessage(), cause);
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
    readLock.lockInterruptibly();
    try {
      return take(false, 0);
    } finally {
      readLock.unlock();
    }
  }

  /**
   * Waits up to {@code timeout} for the next message, as {@link #receive()} does. A zero or
   * negative timeout does not wait, but still takes a message that has arrived. The time is kept to
   * the millisecond.
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
      nanos = Long.MAX_VALUE / 2;
    }
    long deadline = System.nanoTime() + nanos;
    if (!readLock.tryLock(nanos, TimeUnit.NANOSECONDS)) {
      throw timedOut(timeout);
    }
    try {
      Optional<I> message = take(true, deadline);
      if (message == null) {
        throw timedOut(timeout);
      }
      return message;
    } finally {
      readLock.unlock();
    }
  }

  /**
   * Whether the channel still works: it was not closed, and no malformed frame or I/O error closed
   * it. A peer's clean end of stream leaves it open.
   */
  public boolean isOpen() {
    return !closed && readFailure == null;
  }

  /**
   * Closes the socket, so the peer sees its end of stream; wakes every thread waiting in {@code
   * send} or {@code receive}; returns once they have left. Bytes received and not yet taken are
   * dropped. Idempotent; never throws.
   */
  @Override
  public void close() {
    closed = true;
    readable.wakeup();
    writable.wakeup();
    closeQuietly(socket);
    // Each selector is closed by its own lock's holder, once no thread can be waiting in it.
    readLock.lock();
    try {
      closeQuietly(readable);
    } finally {
      readLock.unlock();
    }
    writeLock.lock();
    try {
      closeQuietly(writable);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "MessageChannel[" + socketPath + (isOpen() ? "]" : ", closed]");
  }

  /**
   * Takes the next message, waiting until {@code deadline} ({@link System#nanoTime()}) if {@code
   * timed}, else for ever.
   *
   * @return the message, empty at the end of the stream, {@code null} if the time ran out
   */
  @GuardedBy("readLock")
  private Optional<I> take(boolean timed, long deadline) throws IOException, InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    while (true) {
      throwIfClosed();
      IOException failure = readFailure;
      if (failure != null) {
        if (!readFailureReported) {
          readFailureReported = true;
          throw failure;
        }
        throw closedException(null);
      }
      if (endOfStream) {
        return Optional.empty();
      }
      try {
        byte[] frame = nextFrame();
        if (frame != null) {
          return Optional.of(decode(frame));
        }
        readBuffer.compact();
        int read;
        try {
          read = socket.read(readBuffer);
        } finally {
          readBuffer.flip();
        }
        if (read < 0) {
          endOfStream();
        } else if (read == 0 && !awaitReadable(timed, deadline)) {
          return null;
        }
      } catch (ClosedChannelException e) {
        throw closedException(e);
      } catch (IOException e) {
        if (closed) {
          throw closedException(e);
        }
        readFailure = e;
        log.debug("message channel {} stops reading", socketPath, e);
        closeQuietly(socket);
        writable.wakeup();
      }
    }
  }

  /**
   * Takes what the read buffer holds into the frame being read.
   *
   * @return the frame's body once it is complete, {@code null} while bytes are missing
   */
  @GuardedBy("readLock")
  private byte[] nextFrame() throws MalformedFrameException {
    if (body == null) {
      while (header.hasRemaining() && readBuffer.hasRemaining()) {
        header.put(readBuffer.get());
      }
      if (header.hasRemaining()) {
        return null;
      }
      int length = header.flip().getInt();
      header.clear();
      if (length < 0 || length > MAX_FRAME_BYTES) {
        throw new MalformedFrameException(
            "a frame's length of "
                + Integer.toUnsignedString(length)
                + " bytes is outside 0.."
                + MAX_FRAME_BYTES);
      }
      body = new byte[length];
      bodyFilled = 0;
    }
    int chunk = Math.min(readBuffer.remaining(), body.length - bodyFilled);
    readBuffer.get(body, bodyFilled, chunk);
    bodyFilled += chunk;
    if (bodyFilled < body.length) {
      return null;
    }
    byte[] complete = body;
    body = null;
    return complete;
  }

  /** The peer closed its end: clean between frames, an {@link EOFException} inside one. */
  @GuardedBy("readLock")
  private void endOfStream() throws EOFException {
    if (header.position() > 0) {
      throw new EOFException(
          "the peer ended after "
              + header.position()
              + " of the 4 bytes of a frame's length (it died while sending?)");
    }
    if (body != null) {
      throw new EOFException(
          "the peer ended after "
              + bodyFilled
              + " of the "
              + body.length
              + " bytes of a frame (it died while sending?)");
    }
    endOfStream = true;
  }

  /**
   * Waits until the socket may have bytes to read, or the deadline.
   *
   * @return {@code false} if the deadline has passed
   */
  @GuardedBy("readLock")
  private boolean awaitReadable(boolean timed, long deadline)
      throws IOException, InterruptedException {
    return SelectorWait.await(readable, timed, deadline, "receiving from", socketPath);
  }

  private byte[] encode(O message) {
    byte[] json;
    try {
      json = writer.writeValueAsBytes(message);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "cannot write " + message.getClass().getName() + " as JSON: " + e.getOriginalMessage(),
          e);
    }
    if (json.length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "a "
              + message.getClass().getName()
              + " of "
              + json.length
              + " bytes of JSON exceeds the limit of "
              + MAX_FRAME_BYTES
              + " bytes of a message channel's frame");
    }
    return json;
  }

  private I decode(byte[] json) throws MalformedFrameException {
    I message;
    try {
      message = reader.readValue(json);
    } catch (JacksonException e) {
      throw new MalformedFrameException(
          "a frame of "
              + json.length
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

  private void throwIfClosed() throws ClosedChannelException {
    if (closed) {
      throw closedException(null);
    }
  }

  /**
   * The exception for a send or receive on a closed channel: why the peer's input closed it as the
   * cause, or else the exception the socket gave.
   */
  private ClosedChannelException closedException(IOException socketSaid) {
    ClosedChannelException e =
        socketSaid instanceof AsynchronousCloseException
            ? new AsynchronousCloseException()
            : new ClosedChannelException();
    IOException failure = readFailure;
    Throwable cause = !closed && failure != null ? failure : socketSaid;
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private TimeoutException timedOut(Duration timeout) {
    return new TimeoutException("no message from " + socketPath + " within " + timeout);
  }

  private void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      log.debug("closing {} of message channel {} failed", closeable, socketPath, e);
    }
  }
}
