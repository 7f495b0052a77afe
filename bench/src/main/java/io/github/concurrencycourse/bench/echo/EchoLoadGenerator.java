package io.github.concurrencycourse.bench.echo;

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
 * A closed-loop load generator for uppercase-echo servers: {@link #open} connects N clients first;
 * {@link #run} then has each send an S-byte message, wait for the whole reply, check every byte
 * against the protocol, and send the next, for a warm-up and then a measured duration.
 *
 * <p>All connections are driven by the calling thread through one {@link Selector}, so the
 * generator itself uses at most one core. Latency is from the first byte handed to the kernel to
 * the last reply byte read, recorded in microseconds into an HdrHistogram. A connection that fails
 * counts as an error and is dropped; a reply byte that differs from the expected one counts as a
 * mismatch. Not thread-safe: one thread opens, runs and closes it.
 */
public final class EchoLoadGenerator implements AutoCloseable {

  /** What {@link #run} measured, after the warm-up. */
  public record Result(
      int connections,
      int messageSize,
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

    /** Megabytes per second each way. */
    public double megabytesPerSecond() {
      return requestsPerSecond() * messageSize / 1e6;
    }

    /** Whether every connection got at least one reply during the measurement. */
    public boolean servedAll() {
      return connectionsServed == connections;
    }
  }

  private static final byte[] ALPHABET = "abcxyzABC019 é".getBytes(StandardCharsets.UTF_8);

  private final int messageSize;
  private final byte[] expected;
  private final ByteBuffer request;
  private final Selector selector;
  private final List<Client> clients = new ArrayList<>();
  private long errors;
  private long mismatchedBytes;

  private EchoLoadGenerator(int messageSize) throws IOException {
    this.messageSize = messageSize;
    byte[] message = new byte[messageSize];
    for (int i = 0; i < messageSize; i++) {
      // Letters, digits and a UTF-8 byte, so both the transform and the pass-through are checked.
      message[i] = ALPHABET[i % ALPHABET.length];
    }
    this.expected = new byte[messageSize];
    for (int i = 0; i < messageSize; i++) {
      byte b = message[i];
      expected[i] = b >= 'a' && b <= 'z' ? (byte) (b - 32) : b;
    }
    this.request = ByteBuffer.wrap(message).asReadOnlyBuffer();
    this.selector = Selector.open();
  }

  /**
   * Connects {@code connections} clients to {@code server}, one after the other.
   *
   * @throws IllegalArgumentException if a number is not positive
   * @throws IOException if a connection fails; the ones already open are closed
   */
  public static EchoLoadGenerator open(InetSocketAddress server, int connections, int messageSize)
      throws IOException {
    Objects.requireNonNull(server, "server");
    if (connections < 1 || messageSize < 1) {
      throw new IllegalArgumentException(
          "connections and messageSize must be >= 1, got " + connections + ", " + messageSize);
    }
    EchoLoadGenerator generator = new EchoLoadGenerator(messageSize);
    try {
      for (int i = 0; i < connections; i++) {
        SocketChannel channel = SocketChannel.open();
        try {
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.connect(server);
          channel.configureBlocking(false);
        } catch (IOException e) {
          channel.close();
          throw new IOException("connection " + (i + 1) + " of " + connections + " failed", e);
        }
        Client client = generator.new Client(channel);
        client.key = channel.register(generator.selector, 0, client);
        generator.clients.add(client);
      }
    } catch (IOException | RuntimeException e) {
      generator.close();
      throw e;
    }
    return generator;
  }

  /** Runs the ping-pong for {@code warmUp}, then measures it for {@code duration}. */
  public Result run(Duration warmUp, Duration duration) throws IOException {
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    long now = System.nanoTime();
    long measureFrom = now + warmUp.toNanos();
    long end = measureFrom + duration.toNanos();
    for (Client client : clients) {
      client.send(now);
    }
    long requests = 0;
    while ((now = System.nanoTime()) < end) {
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - now)));
      var ready = selector.selectedKeys().iterator();
      while (ready.hasNext()) {
        SelectionKey key = ready.next();
        ready.remove();
        Client client = (Client) key.attachment();
        try {
          if (key.isWritable()) {
            client.writeMore();
          } else if (key.isReadable() && client.readMore()) {
            long done = System.nanoTime();
            if (client.sentAt >= measureFrom && done <= end) {
              requests++;
              client.served = true;
              latency.recordValue(
                  Math.min(latency.getHighestTrackableValue(), (done - client.sentAt) / 1000));
            }
            client.send(done);
          }
        } catch (IOException e) {
          errors++;
          client.close();
        }
      }
    }
    int served = (int) clients.stream().filter(c -> c.served).count();
    return new Result(
        clients.size(),
        messageSize,
        requests,
        Duration.ofNanos(end - measureFrom),
        latency,
        errors,
        mismatchedBytes,
        served);
  }

  @Override
  public void close() throws IOException {
    for (Client client : clients) {
      client.close();
    }
    selector.close();
  }

  /** One connection: the request being sent and the reply being read. */
  private final class Client {
    private final SocketChannel channel;
    private final ByteBuffer out = request.duplicate();
    private final ByteBuffer in = ByteBuffer.allocate(messageSize);
    private SelectionKey key;
    private long sentAt;
    private boolean served;

    Client(SocketChannel channel) {
      this.channel = channel;
    }

    void send(long now) throws IOException {
      sentAt = now;
      out.clear();
      in.clear();
      writeMore();
    }

    void writeMore() throws IOException {
      channel.write(out);
      key.interestOps(
          out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
    }

    /** Reads what arrived; returns whether the whole reply is in, checked byte for byte. */
    boolean readMore() throws IOException {
      int before = in.position();
      if (channel.read(in) < 0) {
        throw new IOException("the server closed the connection");
      }
      long mismatches = 0;
      byte[] reply = in.array();
      for (int i = before; i < in.position(); i++) {
        if (reply[i] != expected[i]) {
          mismatches++;
        }
      }
      if (mismatches > 0) {
        mismatchedBytes += mismatches;
        throw new IOException(mismatches + " reply bytes differ from the protocol");
      }
      return !in.hasRemaining();
    }

    void close() throws IOException {
      key.cancel();
      channel.close();
    }
  }
}
