package io.github.concurrencycourse.common.echo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * The byte transform of the uppercase-echo protocol: ASCII {@code a}–{@code z} become {@code
 * A}–{@code Z}, every other byte is unchanged.
 *
 * <p>It is byte for byte what Python's {@code bytes.upper()} does, which is what the seed's servers
 * send back ({@code conn.send(data.upper())}). Because each byte is transformed on its own, a
 * server may apply it to whatever chunk a read returned, even one that ends in the middle of a
 * multi-byte UTF-8 character: UTF-8 never uses bytes below {@code 0x80} inside a multi-byte
 * character, so such text passes through unchanged.
 *
 * <p>{@link #upperCase(byte)} is the definition. The in-place methods give the same result for
 * every byte but work on eight bytes at a time, so that a server comparison under load measures the
 * IO model rather than the transform.
 *
 * <p>All methods are stateless and thread-safe; the in-place methods need the caller to own the
 * array or buffer for the duration of the call.
 */
public final class UppercaseEcho {

  private static final int CASE_BIT = 'a' - 'A';

  /**
   * Reads and writes eight array bytes as one {@code long}. The transform treats each byte of the
   * word alike, so any byte order works as long as reads and writes share it; plain access is
   * allowed at any index, aligned or not.
   */
  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private static final long LOW_SEVEN_BITS = 0x7F7F_7F7F_7F7F_7F7FL;
  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

  /** Added to a byte below {@code 0x80}, sets its high bit exactly when it is {@code >= 'a'}. */
  private static final long TO_REACH_A = 0x1F1F_1F1F_1F1F_1F1FL;

  /** Added to a byte below {@code 0x80}, sets its high bit exactly when it is {@code > 'z'}. */
  private static final long TO_PASS_Z = 0x0505_0505_0505_0505L;

  private UppercaseEcho() {}

  /** Returns the reply byte for {@code b}. */
  public static byte upperCase(byte b) {
    return b >= 'a' && b <= 'z' ? (byte) (b - CASE_BIT) : b;
  }

  /**
   * Transforms {@code length} bytes of {@code bytes} from {@code offset} in place.
   *
   * @throws IndexOutOfBoundsException if the range is not inside the array; the array is then
   *     unchanged
   */
  public static void upperCaseInPlace(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int i = offset;
    int end = offset + length;
    for (; i <= end - Long.BYTES; i += Long.BYTES) {
      WORDS.set(bytes, i, upperCaseEachByte((long) WORDS.get(bytes, i)));
    }
    for (; i < end; i++) {
      bytes[i] = upperCase(bytes[i]);
    }
  }

  /** Transforms every byte of {@code bytes} in place. */
  public static void upperCaseInPlace(byte[] bytes) {
    upperCaseInPlace(bytes, 0, bytes.length);
  }

  /**
   * Transforms the remaining bytes of {@code buffer} (from its position to its limit) in place.
   * Position, limit, mark and byte order are unchanged when it returns, so the buffer can be
   * written out as it is; meanwhile the byte order may differ. Works on heap and direct buffers
   * alike.
   *
   * @throws ReadOnlyBufferException if the buffer is read-only, even with nothing remaining; the
   *     buffer is then unchanged
   */
  public static void upperCaseInPlace(ByteBuffer buffer) {
    if (buffer.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    int i = buffer.position();
    int end = buffer.limit();
    if (buffer.hasArray()) {
      upperCaseInPlace(buffer.array(), buffer.arrayOffset() + i, end - i);
      return;
    }
    // The transform needs only that a word is written back in the order it was read, so any order
    // would do; the words are read in the native one, whatever the buffer's. Once a JVM has seen
    // direct buffers of both orders here (Netty's views are big-endian, pooled buffers native), the
    // compiled loop takes the byte-swapping branch into account and no longer inlines the index
    // checks: five to ten times slower. No view is made, so nothing is allocated: a server calls
    // this once per read. Absolute access leaves position and limit alone.
    ByteOrder order = buffer.order();
    buffer.order(ByteOrder.nativeOrder());
    try {
      for (; i <= end - Long.BYTES; i += Long.BYTES) {
        buffer.putLong(i, upperCaseEachByte(buffer.getLong(i)));
      }
      for (; i < end; i++) {
        buffer.put(i, upperCase(buffer.get(i)));
      }
    } finally {
      buffer.order(order);
    }
  }

  /** Returns a transformed copy of {@code bytes}; the argument is not modified. */
  public static byte[] upperCased(byte[] bytes) {
    byte[] copy = bytes.clone();
    upperCaseInPlace(copy);
    return copy;
  }

  /**
   * Applies {@link #upperCase(byte)} to each of the eight bytes of {@code word} at once.
   *
   * <p>Each sum below adds at most {@code 0x7F + 0x1F} to a byte, so no carry crosses into the next
   * byte, and the high bit of each byte of a sum answers one comparison for that byte. A byte is
   * lower case when it is at least {@code 'a'}, not above {@code 'z'}, and below {@code 0x80};
   * shifting that byte's high bit ({@code 0x80}) right by two gives the case bit ({@code 0x20}) of
   * the same byte, which lower-case letters have set and their capitals clear.
   */
  private static long upperCaseEachByte(long word) {
    long low = word & LOW_SEVEN_BITS;
    long atLeastA = low + TO_REACH_A;
    long aboveZ = low + TO_PASS_Z;
    long lowerCase = atLeastA & ~aboveZ & ~word & HIGH_BITS;
    return word ^ (lowerCase >>> 2);
  }
}
