package io.github.concurrencycourse.common.echo;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Direct buffers of one size, lent to a connection while it needs more than its idle share and
 * taken back when it is done: a connection reading a large message, or holding a reply the kernel
 * did not take yet, borrows one, and an idle connection holds none. The course's echo servers,
 * blocking and non-blocking, share this one way of lending their large buffers.
 *
 * <p>Direct, because the JDK copies a heap buffer through a temporary direct buffer on every read
 * and write of a channel or a socket's stream; in native order, so that {@link UppercaseEcho} reads
 * its words without swapping bytes. A buffer given back is kept for the next loan while fewer than
 * the pool's bound are kept, so in steady state a loan allocates nothing; past the bound it is left
 * to the garbage collector, so the pool holds at most {@code bound × size} bytes however many
 * connections once borrowed at the same time.
 *
 * <p>Thread-safe. A buffer must not be used after it was given back.
 */
public final class DirectBufferPool {

  private final int size;

  @GuardedBy("this")
  private final ByteBuffer[] kept;

  @GuardedBy("this")
  private int count;

  /**
   * A pool of buffers of {@code size} bytes that keeps at most {@code bound} of them.
   *
   * @throws IllegalArgumentException if {@code size} is not positive or {@code bound} is negative
   */
  public DirectBufferPool(int size, int bound) {
    if (size < 1 || bound < 0) {
      throw new IllegalArgumentException(
          "size must be positive and bound not negative, got " + size + " and " + bound);
    }
    this.size = size;
    this.kept = new ByteBuffer[bound];
  }

  /** The size of every buffer this pool lends. */
  public int size() {
    return size;
  }

  /** A cleared buffer of {@link #size()} bytes: a kept one, or a new one if none is kept. */
  public ByteBuffer take() {
    synchronized (this) {
      if (count > 0) {
        ByteBuffer buffer = kept[--count];
        kept[count] = null;
        return buffer.clear();
      }
    }
    return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
  }

  /** Takes {@code buffer} back, to lend it again or, past the bound, to let it go. */
  public void give(ByteBuffer buffer) {
    if (buffer.capacity() != size || !buffer.isDirect()) {
      throw new IllegalArgumentException("not a buffer of this pool: " + buffer);
    }
    synchronized (this) {
      if (count < kept.length) {
        kept[count++] = buffer;
      }
    }
  }

  /** The buffers kept for the next loans. */
  public synchronized int kept() {
    return count;
  }
}
