package io.github.concurrencycourse.netecho;

import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * Arrays of one size, lent to a connection while its client sends more than the connection's own
 * small buffer holds, and taken back as soon as the client pauses: connections that wait for their
 * next message hold none.
 *
 * <p>An array given back is kept for the next loan while fewer than the pool's bound are kept, so
 * in steady state a loan allocates nothing; past the bound it is left to the garbage collector, so
 * the pool itself holds at most {@code bound × size} bytes.
 *
 * <p>Thread-safe. An array must not be used after it was given back.
 */
final class ByteArrayPool {

  private final int size;

  @GuardedBy("this")
  private final byte[][] kept;

  @GuardedBy("this")
  private int count;

  /**
   * A pool of arrays of {@code size} bytes that keeps at most {@code bound} of them.
   *
   * @throws IllegalArgumentException if {@code size} is not positive or {@code bound} is negative
   */
  ByteArrayPool(int size, int bound) {
    if (size < 1 || bound < 0) {
      throw new IllegalArgumentException(
          "size must be positive and bound not negative, got " + size + " and " + bound);
    }
    this.size = size;
    this.kept = new byte[bound][];
  }

  /** An array of the pool's size: a kept one, or a new one if none is kept. */
  byte[] take() {
    synchronized (this) {
      if (count > 0) {
        byte[] array = kept[--count];
        kept[count] = null;
        return array;
      }
    }
    return new byte[size];
  }

  /** How many arrays the pool keeps now, ready for the next loans. */
  int keptCount() {
    synchronized (this) {
      return count;
    }
  }

  /** Takes {@code array} back, to lend it again or, past the bound, to let it go. */
  void give(byte[] array) {
    if (array.length != size) {
      throw new IllegalArgumentException("not an array of this pool: " + array.length + " bytes");
    }
    synchronized (this) {
      if (count < kept.length) {
        kept[count++] = array;
      }
    }
  }
}
