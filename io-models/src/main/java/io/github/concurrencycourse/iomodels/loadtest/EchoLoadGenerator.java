package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator for uppercase-echo servers. {@link #open} connects N clients first;
 * {@link #run} then keeps P messages of S bytes in flight on every connection: each reply byte is
 * checked against the protocol as it arrives, and each complete reply releases the next message.
 *
 * <p>All connections are driven by the calling thread through one {@link Selector}, so the
 * generator itself uses at most one core and its cost per message is the same for every server it
 * measures; more cores take more generators, each with its share of the connections. Replies are
 * read into a direct buffer and checked against a direct copy of the expected reply, so a large
 * message is neither copied through a temporary buffer nor compared byte by byte. The latency of a
 * message runs from its first byte handed to the kernel to its last reply byte read, recorded in
 * microseconds into an HdrHistogram. A connection that fails or is closed by the server counts as
 * an error and is dropped; a reply byte that differs from the protocol counts as a mismatch and
 * drops the connection too, since everything after it is suspect.
 *
 * <p>The connections outlive a run: messages still in flight when {@link #run} returns are read
 * (and checked) by the next call, so a warm-up and a measurement can follow each other without a
 * gap. To change the {@link Load}, {@link #drain} first. Memory per connection is a few dozen bytes
 * beside its socket; reads go through one buffer shared by all connections, so ten thousand
 * connections with 64 KiB messages do not need 640 MiB in the generator.
 *
 * <p>Waiting on the server is bounded twice: by a <em>stall</em>, the longest wait for the next
 * connection or reply, and by a <em>limit</em> on the whole step. A server that cannot hold N
 * connections, or serves only some of them at once, therefore costs a bounded wait, never a hang.
 *
 * <p>Not thread-safe: one thread at a time opens, runs and closes it, and a thread that takes it
 * over must see the previous one's work (a {@link java.util.concurrent.Future#get()} does that).
 */
public final class EchoLoadGenerator implements AutoCloseable {

  /**
   * What each connection sends: messages of {@code messageSize} bytes, {@code inFlight} at a time.
   */
  public record Load(int messageSize, int inFlight) {

    /** One byte, one at a time: enough to learn whether the server answers a connection. */
    public static final Load PING = new Load(1, 1);

    /**
     * Checks the numbers.
     *
     * @throws IllegalArgumentException if a number is not positive
     */
    public Load {
      if (messageSize < 1 || inFlight < 1) {
        throw new IllegalArgumentException(
            "messageSize and inFlight must be positive, got %d and %d"
                .formatted(messageSize, inFlight));
      }
    }
  }

  /**
   * What {@link #run} measured.
   *
   * @param connections the connections open when the measurement started
   * @param load what each connection sent
   * @param requests the replies to messages sent inside the window and completed inside it
   * @param elapsed the measured window
   * @param latencyMicros the latency of each of those replies
   * @param errors the connections lost during the run (I/O errors, closed by the server, or wrong
   *     bytes)
   * @param mismatches the reply bytes that differed from the protocol
   * @param connectionsServed the connections that completed at least one reply inside the window
   */
  public record Result(
      int connections,
      Load load,
      long requests,
      Duration elapsed,
      Histogram latencyMicros,
      long errors,
      long mismatches,
      int connectionsServed) {

    /** Replies per second. */
    public double requestsPerSecond() {
      return requests / (elapsed.toNanos() / 1e9);
    }

    /** Megabytes (10⁶ bytes) per second, each way. */
    public double megabytesPerSecond() {
      return requestsPerSecond() * load.messageSize() / 1e6;
    }

    /** Whether every connection got at least one reply during the measurement. */
    public boolean servedAll() {
      return connectionsServed == connections;
    }
  }

  /** Handshakes in progress at once: a burst of thousands would overflow the listen queue. */
  private static final int CONNECT_WINDOW = 128;

  private static final int READ_BUFFER_SIZE = 64 * 1024;
  private static final byte[] ALPHABET = "abcxyzABC019 é".getBytes(StandardCharsets.UTF_8);

  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

  /** The part of the read buffer being checked: a view made once, moved for each check. */
  private final ByteBuffer actual = readBuffer.duplicate();

  /** The part of the expected reply it is checked against. */
  private ByteBuffer expectedView;

  private final Selector selector;
  private final List<Client> clients = new ArrayList<>();
  private Load load = Load.PING;

  /** Counts the loads prepared, so a connection can tell that its buffers are for an old one. */
  private int loadGeneration;

  private byte[] expected;
  private ByteBuffer message;
  private int connectionsLost;
  private int pendingConnects;
  private IOException connectFailure;

  /** Open connections with at least one message in flight. */
  private int waitingConnections;

  /** Handshakes and replies completed so far: what a stall is measured against. */
  private long progress;

  private long mismatchedBytes;

  private EchoLoadGenerator() throws IOException {
    this.selector = Selector.open();
    prepare(Load.PING);
  }

  private void prepare(Load next) {
    byte[] bytes = new byte[next.messageSize()];
    for (int i = 0; i < bytes.length; i++) {
      // Letters, digits and a two-byte UTF-8 character: the transform and the pass-through both
      // show in every message.
      bytes[i] = ALPHABET[i % ALPHABET.length];
    }
    load = next;
    loadGeneration++;
    expected = UppercaseEcho.upperCased(bytes);
    expectedView = ByteBuffer.allocateDirect(expected.length).put(expected).clear();
    message = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
  }

  /**
   * Connects up to {@code connections} clients to {@code server}, at most {@value #CONNECT_WINDOW}
   * handshakes at a time. Returns when all are connected, when no handshake has completed for
   * {@code stall} (a listen queue that is full and not drained), or after {@code limit}: {@link
   * #connections()} then tells how many it got, and the handshakes still in progress are abandoned.
   *
   * @throws IllegalArgumentException if {@code connections} or a duration is not positive
   * @throws IOException if a connection is refused or fails; the ones already open are closed
   */
  public static EchoLoadGenerator open(
      InetSocketAddress server, int connections, Duration stall, Duration limit)
      throws IOException {
    Objects.requireNonNull(server, "server");
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be positive, got " + connections);
    }
    Waiting waiting = new Waiting(stall, limit);
    EchoLoadGenerator generator = new EchoLoadGenerator();
    try {
      generator.connect(server, connections, waiting);
    } catch (IOException | RuntimeException e) {
      generator.close();
      throw e;
    }
    return generator;
  }

  /** A stall and a limit, turned into deadlines as progress is made. */
  private static final class Waiting {
    final long stallNanos;
    final long limitAt;
    long lastProgress = Long.MIN_VALUE;
    long stallAt;

    Waiting(Duration stall, Duration limit) {
      if (!stall.isPositive() || !limit.isPositive()) {
        throw new IllegalArgumentException(
            "stall and limit must be positive, got " + stall + " and " + limit);
      }
      long now = System.nanoTime();
      this.stallNanos = stall.toNanos();
      this.limitAt = now + limit.toNanos();
      this.stallAt = now + stallNanos;
    }

    /** The moment to give up, given the progress counted so far. */
    long deadline(long progress, long now) {
      if (progress != lastProgress) {
        lastProgress = progress;
        stallAt = now + stallNanos;
      }
      return Math.min(stallAt, limitAt);
    }
  }

  private void connect(InetSocketAddress server, int connections, Waiting waiting)
      throws IOException {
    int started = 0;
    while (clients.size() < connections) {
      while (pendingConnects < CONNECT_WINDOW && started < connections) {
        SocketChannel channel = SocketChannel.open();
        try {
          channel.configureBlocking(false);
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          Client client = new Client(channel);
          client.key = channel.register(selector, SelectionKey.OP_CONNECT, client);
          if (channel.connect(server)) {
            connected(client);
          } else {
            pendingConnects++;
          }
          started++;
        } catch (IOException e) {
          channel.close();
          throw new IOException(connectionFailure(started + 1, connections), e);
        }
      }
      long now = System.nanoTime();
      long deadline = waiting.deadline(progress, now);
      if (now >= deadline) {
        break;
      }
      selector.select(
          key -> finishConnecting((Client) key.attachment()), millisUntil(deadline, now));
      if (connectFailure != null) {
        throw new IOException(connectionFailure(clients.size() + 1, connections), connectFailure);
      }
    }
    for (SelectionKey key : selector.keys()) {
      Client client = (Client) key.attachment();
      if (!client.channel.isConnected()) {
        client.close();
      }
    }
  }

  private void finishConnecting(Client client) {
    try {
      if (client.channel.finishConnect()) {
        pendingConnects--;
        connected(client);
      }
    } catch (IOException e) {
      client.close();
      if (connectFailure == null) {
        connectFailure = e;
      }
    }
  }

  private static long millisUntil(long deadline, long now) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now));
  }

  private static String connectionFailure(int number, int connections) {
    return "connection " + number + " of " + connections + " failed";
  }

  private void connected(Client client) {
    client.key.interestOps(SelectionKey.OP_READ);
    clients.add(client);
    progress++;
  }

  /** The connections open now: those {@link #open} got, less those lost since. */
  public int connections() {
    return clients.size() - connectionsLost;
  }

  /**
   * Sends one {@linkplain Load#PING ping} on every open connection and waits for the replies,
   * giving up when none has come for {@code stall} or after {@code limit}. Use it to learn whether
   * the server serves every connection at once, and to have it accept and set up every connection
   * before it is measured.
   *
   * @return the connections that were answered
   * @throws IllegalStateException if messages of another load are in flight; {@link #drain} first
   * @throws IOException if the selector fails; a failing connection only counts as lost
   */
  public int answerEach(Duration stall, Duration limit) throws IOException {
    switchTo(Load.PING);
    long now = System.nanoTime();
    for (Client client : clients) {
      topUpOrLose(client, 1, now);
    }
    return drain(stall, limit) ? connections() : connections() - waitingConnections;
  }

  /**
   * Sends nothing new and waits for the replies to every message in flight, giving up when none has
   * come for {@code stall} or after {@code limit}.
   *
   * @return whether nothing is in flight any more
   * @throws IOException if the selector fails; a failing connection only counts as lost
   */
  public boolean drain(Duration stall, Duration limit) throws IOException {
    Waiting waiting = new Waiting(stall, limit);
    while (waitingConnections > 0) {
      long now = System.nanoTime();
      long deadline = waiting.deadline(progress, now);
      if (now >= deadline) {
        break;
      }
      pump(0, deadline, now, null);
    }
    return waitingConnections == 0;
  }

  /**
   * Keeps every open connection loaded with {@code load} for {@code duration} and measures the
   * replies. Only messages sent inside the window count, so a run after another of the same load (a
   * warm-up, say) is not credited with the earlier one's messages.
   *
   * @throws IllegalArgumentException if the duration is not positive
   * @throws IllegalStateException if messages of another load are in flight; {@link #drain} first
   * @throws IOException if the selector fails; a failing connection only counts as an error
   */
  public Result run(Load load, Duration duration) throws IOException {
    Objects.requireNonNull(load, "load");
    if (!duration.isPositive()) {
      throw new IllegalArgumentException("duration must be positive, got " + duration);
    }
    switchTo(load);
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    int lostBefore = connectionsLost;
    long mismatchesBefore = mismatchedBytes;
    int connections = connections();
    long measureFrom = System.nanoTime();
    long end = measureFrom + duration.toNanos();
    for (Client client : clients) {
      client.served = false;
      topUpOrLose(client, load.inFlight(), measureFrom);
    }
    Window window = new Window(measureFrom, end, latency);
    long now;
    while ((now = System.nanoTime()) < end) {
      pump(load.inFlight(), end, now, window);
    }
    int served = 0;
    for (Client client : clients) {
      if (client.served) {
        served++;
      }
    }
    return new Result(
        connections,
        load,
        window.requests,
        Duration.ofNanos(end - measureFrom),
        latency,
        connectionsLost - lostBefore,
        mismatchedBytes - mismatchesBefore,
        served);
  }

  private void switchTo(Load next) {
    if (next.equals(load)) {
      return;
    }
    if (waitingConnections > 0) {
      throw new IllegalStateException(
          waitingConnections + " connections have messages of " + load + " in flight; drain first");
    }
    prepare(next);
  }

  /** The measured window of a {@link #run} and what it has counted. */
  private static final class Window {
    final long from;
    final long to;
    final Histogram latency;
    long requests;

    Window(long from, long to, Histogram latency) {
      this.from = from;
      this.to = to;
      this.latency = latency;
    }

    void record(Client client, long sentAt, long done) {
      if (sentAt >= from && done <= to) {
        requests++;
        client.served = true;
        latency.recordValue(Math.min(latency.getHighestTrackableValue(), (done - sentAt) / 1000));
      }
    }
  }

  /**
   * Waits for ready connections until {@code deadline} and serves them: writes what is pending,
   * reads and checks replies (recording them in {@code window} when there is one), and tops each
   * connection that read something up to {@code keepInFlight} messages.
   */
  private void pump(int keepInFlight, long deadline, long now, Window window) throws IOException {
    selector.select(key -> serve(key, keepInFlight, window), millisUntil(deadline, now));
  }

  private void serve(SelectionKey key, int keepInFlight, Window window) {
    Client client = (Client) key.attachment();
    try {
      if (key.isValid() && key.isWritable()) {
        client.writeMore();
      }
      if (key.isValid() && key.isReadable()) {
        client.readReplies(window);
        client.topUp(keepInFlight, System.nanoTime());
      }
    } catch (IOException e) {
      lose(client);
    }
  }

  private void topUpOrLose(Client client, int keepInFlight, long now) {
    if (client.open) {
      try {
        client.topUp(keepInFlight, now);
      } catch (IOException e) {
        lose(client);
      }
    }
  }

  /** Counts a connection that failed as lost, once, and closes it. */
  private void lose(Client client) {
    if (client.open) {
      connectionsLost++;
      client.close();
    }
  }

  /** Closes every connection and the selector. */
  @Override
  public void close() throws IOException {
    for (SelectionKey key : selector.keys()) {
      ((Client) key.attachment()).close();
    }
    selector.close();
  }

  /**
   * One connection. Messages are sent one after the other from the load's shared read-only buffer;
   * {@code sentAt} holds the send time of each message in flight, oldest first, in a ring with a
   * slot per message the load keeps in flight.
   */
  private final class Client {
    final SocketChannel channel;
    int generation;
    ByteBuffer out;
    long[] sentAt;
    SelectionKey key;
    boolean open = true;
    boolean served;

    /** Messages sent or being sent whose reply is not complete. */
    int outstanding;

    /** Messages counted in {@code outstanding} whose bytes are not all handed to the kernel. */
    int unsent;

    /** Index into {@code sentAt} of the oldest message in flight. */
    int oldest;

    /** Bytes of the oldest message's reply read so far. */
    int replied;

    Client(SocketChannel channel) {
      this.channel = channel;
    }

    void topUp(int keepInFlight, long now) throws IOException {
      if (generation != loadGeneration) {
        // Only between loads, when nothing is in flight (see switchTo).
        generation = loadGeneration;
        out = message.duplicate();
        sentAt = new long[load.inFlight()];
        oldest = 0;
      }
      int inFlight = load.inFlight();
      int room = Math.min(keepInFlight, inFlight) - outstanding;
      if (room > 0 && outstanding == 0) {
        waitingConnections++;
      }
      for (int i = 0; i < room; i++) {
        sentAt[(oldest + outstanding) % inFlight] = now;
        outstanding++;
        unsent++;
      }
      if (room > 0 && unsent == room) {
        out.clear();
        writeMore();
      }
    }

    void writeMore() throws IOException {
      while (unsent > 0) {
        channel.write(out);
        if (out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
          return;
        }
        unsent--;
        out.clear();
      }
      key.interestOps(SelectionKey.OP_READ);
    }

    /** Reads what arrived, checks it, and completes the messages whose reply is whole. */
    void readReplies(Window window) throws IOException {
      readBuffer.clear();
      int read = channel.read(readBuffer);
      if (read < 0) {
        throw new IOException("the server closed the connection");
      }
      if (read > 0 && outstanding == 0) {
        throw new IOException(read + " bytes arrived that nobody asked for");
      }
      int messageSize = load.messageSize();
      int at = 0;
      while (at < read) {
        int length = Math.min(read - at, messageSize - replied);
        actual.clear().position(at).limit(at + length);
        expectedView.clear().position(replied).limit(replied + length);
        if (actual.mismatch(expectedView) >= 0) {
          mismatchedBytes += countMismatches(at, replied, length);
          throw new IOException("reply bytes differ from the protocol");
        }
        at += length;
        replied += length;
        if (replied == messageSize) {
          long done = System.nanoTime();
          if (window != null) {
            window.record(this, sentAt[oldest], done);
          }
          replied = 0;
          oldest = (oldest + 1) % sentAt.length;
          outstanding--;
          progress++;
          if (outstanding == 0) {
            waitingConnections--;
            if (at < read) {
              throw new IOException((read - at) + " bytes arrived that nobody asked for");
            }
          }
        }
      }
    }

    private long countMismatches(int at, int offset, int length) {
      long differ = 0;
      for (int i = 0; i < length; i++) {
        if (readBuffer.get(at + i) != expected[offset + i]) {
          differ++;
        }
      }
      return differ;
    }

    void close() {
      if (open && outstanding > 0) {
        waitingConnections--;
      }
      open = false;
      key.cancel();
      try {
        channel.close();
      } catch (IOException e) {
        // The socket is released whether or not close() reports a failure; nothing is pending.
      }
    }
  }
}
