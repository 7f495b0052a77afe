package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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
}
