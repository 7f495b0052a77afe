package io.github.concurrencycourse.iomodels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a server's event loops or completion handlers have done so far: how many events they
 * handled, how many bytes they moved, how many connections they have stopped reading from because
 * the reply could not be written (backpressure), and how much buffer the connections hold now.
 *
 * <p>Thread-safe. The server's threads record; any thread may read. Counting allocates nothing in
 * steady state. Each figure is read on its own, so figures read one after the other may reflect
 * slightly different moments; {@link #bufferedBytes()} is exact once the server is quiet.
 */
public final class IoStatistics {

  private final LongAdder events = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder discarded = new LongAdder();
  private final AtomicInteger paused = new AtomicInteger();
  // Exact, not a LongAdder: the peak is taken from each new total. Buffers are taken and given
  // back far less often than messages move.
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong peakHeld = new AtomicLong();

  IoStatistics() {}

  void event() {
    events.increment();
  }

  void received(int bytes) {
    received.add(bytes);
  }

  void sent(int bytes) {
    sent.add(bytes);
  }

  void discarded(int bytes) {
    discarded.add(bytes);
  }

  void paused() {
    paused.incrementAndGet();
  }

  void resumed() {
    paused.decrementAndGet();
  }

  void holding(int bytes) {
    long now = held.addAndGet(bytes);
    peakHeld.accumulateAndGet(now, Math::max);
  }

  void released(int bytes) {
    held.addAndGet(-bytes);
  }

  /**
   * Events handled so far: for a selector, each key a wake-up found ready (a wake-up may find
   * several); for asynchronous channels, each completion. Counted before the event is handled.
   */
  public long events() {
    return events.sum();
  }

  /** Bytes read from clients so far. */
  public long bytesReceived() {
    return received.sum();
  }

  /** Bytes written back to clients so far. */
  public long bytesSent() {
    return sent.sum();
  }

  /**
   * Bytes read and not yet written back, over all connections: what the server holds on behalf of
   * its clients. Bytes of a connection that closed before its reply was out do not count.
   */
  public long bufferedBytes() {
    return received.sum() - sent.sum() - discarded.sum();
  }

  /** Connections the server is not reading from now because their last reply is not out yet. */
  public int pausedConnections() {
    return paused.get();
  }

  /**
   * The capacity of the buffers the connections hold now, summed: what the server's memory per
   * connection is made of besides the sockets. It grows while connections read large messages or
   * hold replies the kernel has not taken, and falls back once they are idle. Buffers a server
   * keeps for later loans, belonging to no connection, do not count.
   */
  public long bufferBytesHeld() {
    return held.get();
  }

  /**
   * The most {@link #bufferBytesHeld()} has been since the server started: the high-water mark of
   * its buffer memory, which a test or an operator can check against a bound after the fact.
   */
  public long peakBufferBytesHeld() {
    return peakHeld.get();
  }

  @Override
  public String toString() {
    return String.format(
        "events %d, received %d B, sent %d B, buffered %d B, paused %d, buffers held %d B",
        events(),
        bytesReceived(),
        bytesSent(),
        bufferedBytes(),
        pausedConnections(),
        bufferBytesHeld());
  }
}
