package io.github.concurrencycourse.common.echo;

import java.nio.ByteBuffer;
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
 * <p>All methods are stateless and thread-safe; the in-place methods need the caller to own the
 * array or buffer for the duration of the call.
 */
public final class UppercaseEcho {

  private static final int CASE_BIT = 'a' - 'A';

  private UppercaseEcho() {}

  /** Returns the reply byte for {@code b}. */
  public static byte upperCase(byte b) {
    return b >= 'a' && b <= 'z' ? (byte) (b - CASE_BIT) : b;
  }

  /**
   * Transforms {@code length} bytes of {@code bytes} from {@code offset} in place.
   *
   * @throws IndexOutOfBoundsException if the range is not inside the array
   */
  public static void upperCaseInPlace(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    for (int i = offset, end = offset + length; i < end; i++) {
      bytes[i] = upperCase(bytes[i]);
    }
  }

  /** Transforms every byte of {@code bytes} in place. */
  public static void upperCaseInPlace(byte[] bytes) {
    upperCaseInPlace(bytes, 0, bytes.length);
  }

  /**
   * Transforms the remaining bytes of {@code buffer} (from its position to its limit) in place.
   * Position, limit and mark are unchanged, so the buffer can be written out as it is. Works on
   * heap and direct buffers alike.
   *
   * @throws java.nio.ReadOnlyBufferException if the buffer is read-only
   */
  public static void upperCaseInPlace(ByteBuffer buffer) {
    for (int i = buffer.position(), end = buffer.limit(); i < end; i++) {
      buffer.put(i, upperCase(buffer.get(i)));
    }
  }

  /** Returns a transformed copy of {@code bytes}; the argument is not modified. */
  public static byte[] upperCased(byte[] bytes) {
    byte[] copy = bytes.clone();
    upperCaseInPlace(copy);
    return copy;
  }
}
