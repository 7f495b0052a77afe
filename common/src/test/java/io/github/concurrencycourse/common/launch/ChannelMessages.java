package io.github.concurrencycourse.common.launch;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The messages the channel tests send, and raw bytes for the tests of bad input. */
final class ChannelMessages {

  private ChannelMessages() {}

  /** What a buyer asks for: a record with a list inside, in the seed's vocabulary. */
  record Order(String buyer, int tickets, List<String> seats) {}

  /** What the seller answers: two kinds of message behind one sealed type. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
  sealed interface Answer permits Sold, SoldOut {}

  /** A ticket sold. */
  record Sold(String buyer, int ticket) implements Answer {}

  /** None left. */
  record SoldOut(String buyer) implements Answer {}

  /** A frame as the channel writes it, around {@code json}. */
  static byte[] frame(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(Integer.BYTES + body.length).putInt(body.length).put(body).array();
  }

  /** A frame's length alone. */
  static byte[] header(int length) {
    return ByteBuffer.allocate(Integer.BYTES).putInt(length).array();
  }

  /**
   * A plain socket connected to {@code socketPath}, to write bytes the channel would never send.
   */
  static SocketChannel rawConnection(Path socketPath) throws IOException {
    SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX);
    raw.connect(UnixDomainSocketAddress.of(socketPath));
    return raw;
  }

  /** Writes {@code bytes} whole. */
  static void writeAll(SocketChannel raw, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      raw.write(buffer);
    }
  }

  /** The directories that {@link ChannelServer#open} created in this JVM and that still exist. */
  static List<Path> channelDirectories() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .filter(path -> path.getFileName().toString().startsWith(ChannelServer.directoryPrefix()))
          .toList();
    }
  }
}
