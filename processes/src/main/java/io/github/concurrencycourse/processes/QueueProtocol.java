package io.github.concurrencycourse.processes;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire protocol between a {@link ProcessQueueHost} and its {@link ProcessQueue} handles.
 *
 * <p>A connection carries frames in both directions: a 4-byte big-endian length, then that many
 * bytes of UTF-8 JSON holding one {@link Request} (handle to host) or one {@link Response} (host to
 * handle). A handle may have many requests outstanding on one connection: every request carries an
 * id, and the host answers each exactly once, with the same id, in any order. So one handle serves
 * many threads, and a thread blocked in {@code take} does not stop another's {@code put}.
 *
 * <p>An item the host hands out under a delivery number stays <em>held</em> by that connection
 * until the handle sends {@link Op#DONE} (consumed) or {@link Op#RELEASE} (give it back). When the
 * connection ends, every item it still holds goes back to the head of the queue.
 *
 * <p>A frame longer than {@link #MAX_FRAME_BYTES}, a frame that is not JSON of the expected shape,
 * or a request that lacks what its operation needs is malformed: the host closes that connection
 * only.
 */
final class QueueProtocol {

  /** The largest frame either side accepts: a bound on what a bad peer can make us allocate. */
  static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /** Encodes requests, responses and items. Thread-safe. */
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** What a request asks the host to do. */
  enum Op {
    /** Insert {@code item}, waiting up to {@code waitNanos} for space. */
    OFFER,
    /** Remove the head, waiting up to {@code waitNanos} for one; the item becomes held. */
    POLL,
    /** Return the head without removing it. */
    PEEK,
    /** Return the number of items waiting. */
    SIZE,
    /** Return how many more items fit. */
    REMAINING_CAPACITY,
    /** Return every waiting item, head first, without removing any. */
    SNAPSHOT,
    /** The held item {@code ref} is consumed: forget it and count its task done. */
    DONE,
    /** The held item {@code ref} was not consumed: put it back at the head. */
    RELEASE,
    /** Wait up to {@code waitNanos} until every item ever inserted has been done. */
    JOIN,
    /** Stop waiting in request {@code ref} of this connection, if it still waits. */
    CANCEL;

    /** Whether the host may have to wait before answering. */
    boolean mayWait() {
      return this == OFFER || this == POLL || this == JOIN;
    }
  }

  /**
   * One request from a handle.
   *
   * @param id chosen by the handle, unique on its connection
   * @param op what to do
   * @param item the item of an {@link Op#OFFER}; {@code null} otherwise
   * @param waitNanos for {@link Op#OFFER}, {@link Op#POLL} and {@link Op#JOIN}: 0 for no wait, a
   *     negative value to wait without a time limit
   * @param ref the delivery number of {@link Op#DONE} and {@link Op#RELEASE}, the request id of
   *     {@link Op#CANCEL}
   */
  record Request(long id, Op op, JsonNode item, long waitNanos, long ref) {

    /** Whether the request holds what its operation needs; a request that does not is malformed. */
    boolean isWellFormed() {
      return op != null && (op != Op.OFFER || item != null);
    }
  }

  /** How a request ended. */
  enum Status {
    /** Done: the item was inserted or delivered, the join completed, the count is in the answer. */
    OK,
    /** Not done: the queue stayed full or empty, or tasks stayed unfinished, for the whole wait. */
    NONE,
    /** Not done: the request was cancelled, or the host is closing. */
    CANCELLED,
    /** Refused: {@code error} says why (an unknown delivery number, for instance). */
    ERROR
  }

  /**
   * The host's answer to the request with the same id.
   *
   * @param id the request's id
   * @param status how the request ended
   * @param item the delivered or peeked item when {@code status} is {@link Status#OK}
   * @param delivery the delivery number of a polled item, for {@link Op#DONE} or {@link Op#RELEASE}
   * @param count the answer of {@link Op#SIZE} and {@link Op#REMAINING_CAPACITY}
   * @param items the answer of {@link Op#SNAPSHOT}
   * @param error why an {@link Status#ERROR} was refused
   */
  record Response(
      long id,
      Status status,
      JsonNode item,
      long delivery,
      long count,
      List<JsonNode> items,
      String error) {

    static Response of(long id, Status status) {
      return new Response(id, status, null, 0, 0, null, null);
    }

    static Response item(long id, JsonNode item, long delivery) {
      return new Response(id, Status.OK, item, delivery, 0, null, null);
    }

    static Response count(long id, long count) {
      return new Response(id, Status.OK, null, 0, count, null, null);
    }

    static Response items(long id, List<JsonNode> items) {
      return new Response(id, Status.OK, null, 0, 0, List.copyOf(items), null);
    }

    static Response error(long id, String error) {
      return new Response(id, Status.ERROR, null, 0, 0, null, error);
    }
  }

  /** A frame that breaks the protocol; the connection that carried it is closed. */
  static final class MalformedFrameException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedFrameException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private QueueProtocol() {}

  /**
   * Writes {@code message} as one frame. Not thread-safe: callers serialise writes to a channel.
   *
   * @throws IOException if the channel fails or is closed
   */
  static void write(WritableByteChannel channel, Object message) throws IOException {
    byte[] body = JSON.writeValueAsBytes(message);
    ByteBuffer frame = ByteBuffer.allocate(Integer.BYTES + body.length);
    frame.putInt(body.length).put(body).flip();
    while (frame.hasRemaining()) {
      channel.write(frame);
    }
  }

  /**
   * Reads one frame as {@code type}, however the bytes are split between reads.
   *
   * @return the message, or {@code null} if the peer closed the connection between frames
   * @throws EOFException if the peer closed the connection in the middle of a frame
   * @throws MalformedFrameException if the frame is too long or not a {@code type}
   * @throws IOException if the channel fails or is closed
   */
  static <T> T read(ReadableByteChannel channel, Class<T> type) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(Integer.BYTES);
    if (!fill(channel, header, true)) {
      return null;
    }
    int length = header.flip().getInt();
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new MalformedFrameException(
          "frame length " + length + " is outside 0.." + MAX_FRAME_BYTES, null);
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    fill(channel, body, false);
    try {
      T message = JSON.readValue(body.array(), type);
      if (message == null) {
        throw new MalformedFrameException(
            "frame holds JSON null, not a " + type.getSimpleName(), null);
      }
      return message;
    } catch (JacksonException e) {
      throw new MalformedFrameException(
          "frame is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads until {@code buffer} is full.
   *
   * @return {@code false} if the channel ended before the first byte and {@code endAllowed}
   */
  private static boolean fill(ReadableByteChannel channel, ByteBuffer buffer, boolean endAllowed)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        if (endAllowed && buffer.position() == 0) {
          return false;
        }
        throw new EOFException(
            "connection ended after "
                + buffer.position()
                + " of "
                + buffer.capacity()
                + " bytes of a frame");
      }
    }
    return true;
  }
}
