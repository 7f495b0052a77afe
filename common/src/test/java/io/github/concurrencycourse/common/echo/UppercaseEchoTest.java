package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class UppercaseEchoTest {

  /** {@code bytes(range(256)).upper().hex()}, printed by CPython 3. */
  private static final String PYTHON_UPPER_OF_EVERY_BYTE =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
          + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
          + "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
          + "604142434445464748494a4b4c4d4e4f505152535455565758595a7b7c7d7e7f"
          + "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
          + "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
          + "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
          + "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

  private static final String SEED_TEXT = "服务器已经启动.... hello 客户端端开... bye";

  /** {@code SEED_TEXT.encode('utf-8').upper().decode('utf-8')} in CPython 3. */
  private static final String PYTHON_UPPER_OF_SEED_TEXT = "服务器已经启动.... HELLO 客户端端开... BYE";

  /** Bytes after the transformed range, which must come out unchanged. */
  private static final int GUARD_BYTES = 9;

  /**
   * Heap and direct buffers in both byte orders, and slices, whose content does not start at the
   * start of the memory behind them.
   */
  private static final List<BufferKind> BUFFER_KINDS =
      List.of(
          new BufferKind("heap", ByteBuffer::allocate),
          new BufferKind(
              "heap little-endian", n -> ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN)),
          new BufferKind("heap slice", n -> ByteBuffer.allocate(n + 3).position(3).slice()),
          new BufferKind("direct", ByteBuffer::allocateDirect),
          new BufferKind(
              "direct little-endian",
              n -> ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN)),
          new BufferKind(
              "direct little-endian slice",
              n ->
                  ByteBuffer.allocateDirect(n + 3)
                      .position(3)
                      .slice()
                      .order(ByteOrder.LITTLE_ENDIAN)));

  @Test
  void matchesPythonBytesUpperOnEveryByteValue() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < 256; i++) {
      everyByte[i] = (byte) i;
    }

    assertThat(HexFormat.of().formatHex(UppercaseEcho.upperCased(everyByte)))
        .isEqualTo(PYTHON_UPPER_OF_EVERY_BYTE);
    for (int i = 0; i < 256; i++) {
      assertThat(UppercaseEcho.upperCase((byte) i))
          .isEqualTo(UppercaseEcho.upperCased(everyByte)[i]);
    }
  }

  @Test
  void upperCasesAsciiOfUtf8TextAndLeavesChineseUnchanged() {
    byte[] utf8 = SEED_TEXT.getBytes(StandardCharsets.UTF_8);

    assertThat(new String(UppercaseEcho.upperCased(utf8), StandardCharsets.UTF_8))
        .isEqualTo(PYTHON_UPPER_OF_SEED_TEXT);
  }

  @Test
  void givesTheSameResultHoweverTheBytesAreSplit() {
    byte[] utf8 = SEED_TEXT.getBytes(StandardCharsets.UTF_8);
    byte[] whole = UppercaseEcho.upperCased(utf8);

    for (int split = 0; split <= utf8.length; split++) {
      byte[] pieces = utf8.clone();
      UppercaseEcho.upperCaseInPlace(pieces, 0, split);
      UppercaseEcho.upperCaseInPlace(pieces, split, utf8.length - split);
      assertThat(pieces).as("split at byte %d", split).isEqualTo(whole);
    }
  }

  @Test
  void transformsOnlyTheGivenArrayRange() {
    byte[] bytes = "abcdef".getBytes(StandardCharsets.US_ASCII);

    UppercaseEcho.upperCaseInPlace(bytes, 2, 3);

    assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("abCDEf");
  }

  @Test
  void rejectsARangeOutsideTheArray() {
    byte[] bytes = "abc".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> UppercaseEcho.upperCaseInPlace(bytes, 2, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("abc");
  }

  @Test
  void upperCasedLeavesItsArgumentAlone() {
    byte[] bytes = "abc".getBytes(StandardCharsets.US_ASCII);

    UppercaseEcho.upperCased(bytes);

    assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("abc");
  }

  @Test
  void transformsTheRemainingBytesOfHeapAndDirectBuffersWithoutMovingThem() {
    for (ByteBuffer buffer :
        new ByteBuffer[] {ByteBuffer.allocate(8), ByteBuffer.allocateDirect(8)}) {
      buffer.put("abcdefgh".getBytes(StandardCharsets.US_ASCII)).position(1).limit(5);

      UppercaseEcho.upperCaseInPlace(buffer);

      assertThat(buffer.position()).isEqualTo(1);
      assertThat(buffer.limit()).isEqualTo(5);
      byte[] all = new byte[8];
      buffer.clear().get(all);
      assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo("aBCDEfgh");
    }
  }

  @Test
  void rejectsAReadOnlyBuffer() {
    ByteBuffer readOnly = ByteBuffer.wrap(new byte[] {'a'}).asReadOnlyBuffer();

    assertThatThrownBy(() -> UppercaseEcho.upperCaseInPlace(readOnly))
        .isInstanceOf(ReadOnlyBufferException.class);
  }

  @Test
  void rejectsReadOnlyHeapAndDirectBuffersWithoutChangingThem() {
    ByteBuffer heap = ByteBuffer.wrap("abcdefghij".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer direct = ByteBuffer.allocateDirect(10).put(0, heap, 0, 10);

    for (ByteBuffer writable : new ByteBuffer[] {heap, direct}) {
      ByteBuffer readOnly = writable.asReadOnlyBuffer();
      assertThatThrownBy(() -> UppercaseEcho.upperCaseInPlace(readOnly))
          .isInstanceOf(ReadOnlyBufferException.class);
      ByteBuffer empty = writable.asReadOnlyBuffer().position(10);
      assertThatThrownBy(() -> UppercaseEcho.upperCaseInPlace(empty))
          .as("nothing remaining")
          .isInstanceOf(ReadOnlyBufferException.class);
      byte[] content = new byte[10];
      writable.get(0, content);
      assertThat(new String(content, StandardCharsets.US_ASCII)).isEqualTo("abcdefghij");
    }
  }

  /**
   * The in-place methods work on eight bytes at a time; a carry or a borrow between neighbouring
   * bytes of such a word would show up for some pair of neighbours. Every pair of byte values, at
   * every pair of neighbouring positions of a word, must come out as the byte-wise definition says.
   */
  @Test
  void transformsEveryPairOfNeighbouringBytesAtEveryPositionOfAWord() {
    List<String> failures = new ArrayList<>();
    byte[] word = new byte[Long.BYTES];
    byte[] expected = new byte[Long.BYTES];
    byte[] actual = new byte[Long.BYTES];
    List<ByteBuffer> buffers =
        BUFFER_KINDS.stream().map(kind -> kind.allocate(Long.BYTES)).toList();

    for (int lane = 0; lane < Long.BYTES - 1; lane++) {
      for (int first = 0; first < 256; first++) {
        for (int second = 0; second < 256; second++) {
          for (int i = 0; i < Long.BYTES; i++) {
            word[i] = (byte) ('a' + 3 * i);
          }
          word[lane] = (byte) first;
          word[lane + 1] = (byte) second;
          for (int i = 0; i < Long.BYTES; i++) {
            expected[i] = UppercaseEcho.upperCase(word[i]);
          }

          System.arraycopy(word, 0, actual, 0, Long.BYTES);
          UppercaseEcho.upperCaseInPlace(actual, 0, Long.BYTES);
          recordMismatch(failures, "byte[]", word, expected, actual);

          for (int k = 0; k < buffers.size(); k++) {
            ByteBuffer buffer = buffers.get(k).clear().put(0, word);
            UppercaseEcho.upperCaseInPlace(buffer);
            buffer.get(0, actual);
            recordMismatch(failures, BUFFER_KINDS.get(k).name(), word, expected, actual);
          }
        }
      }
    }

    assertThat(failures).isEmpty();
  }

  @Test
  void transformsRandomArrayRangesOfEveryLengthAndOffsetAndNothingOutsideThem() {
    Random random = new Random(53);
    for (int length = 0; length <= 100; length++) {
      for (int offset = 0; offset <= 15; offset++) {
        byte[] bytes = randomBytes(random, offset + length + GUARD_BYTES);
        byte[] expected = upperCasedByDefinition(bytes, offset, length);

        UppercaseEcho.upperCaseInPlace(bytes, offset, length);

        assertThat(bytes).as("length %d at offset %d", length, offset).isEqualTo(expected);
      }
    }
  }

  @Test
  void transformsRandomBuffersOfEveryKindAndKeepsTheirPositionLimitMarkAndOrder() {
    Random random = new Random(53);
    for (BufferKind kind : BUFFER_KINDS) {
      for (int length = 0; length <= 100; length++) {
        for (int offset = 0; offset <= 15; offset++) {
          byte[] content = randomBytes(random, offset + length + GUARD_BYTES);
          byte[] expected = upperCasedByDefinition(content, offset, length);
          ByteBuffer buffer = kind.allocate(content.length).put(0, content);
          int mark = offset / 2;
          buffer.position(mark).mark().position(offset).limit(offset + length);
          ByteOrder order = buffer.order();

          UppercaseEcho.upperCaseInPlace(buffer);

          String where = kind.name() + ", length " + length + " at offset " + offset;
          assertThat(buffer.position()).as(where).isEqualTo(offset);
          assertThat(buffer.limit()).as(where).isEqualTo(offset + length);
          assertThat(buffer.order()).as(where).isEqualTo(order);
          byte[] actual = new byte[content.length];
          // Absolute bulk reads stop at the limit; a duplicate reads the whole capacity.
          buffer.duplicate().clear().get(0, actual);
          assertThat(actual).as(where).isEqualTo(expected);
          assertThat(buffer.reset().position()).as(where).isEqualTo(mark);
        }
      }
    }
  }

  /**
   * Half the bytes from the whole range, half from 0x40–0x7F, where letters and their edges lie.
   */
  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (random.nextBoolean() ? random.nextInt(256) : 0x40 + random.nextInt(0x40));
    }
    return bytes;
  }

  private static byte[] upperCasedByDefinition(byte[] bytes, int offset, int length) {
    byte[] result = bytes.clone();
    for (int i = offset; i < offset + length; i++) {
      result[i] = UppercaseEcho.upperCase(result[i]);
    }
    return result;
  }

  private static void recordMismatch(
      List<String> failures, String target, byte[] input, byte[] expected, byte[] actual) {
    if (failures.size() < 20 && !Arrays.equals(expected, actual)) {
      HexFormat hex = HexFormat.of();
      failures.add(
          target
              + ": "
              + hex.formatHex(input)
              + " gave "
              + hex.formatHex(actual)
              + ", expected "
              + hex.formatHex(expected));
    }
  }

  /** A way to allocate a buffer, named for failure messages. */
  private record BufferKind(String name, IntFunction<ByteBuffer> allocator) {
    ByteBuffer allocate(int capacity) {
      return allocator.apply(capacity);
    }
  }
}
