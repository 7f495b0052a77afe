package io.github.concurrencycourse.pools;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ProtocolException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conversation between a {@link ProcessPool} and one worker JVM, all of it in this class.
 *
 * <p><b>Channel.</b> A Unix domain socket that the pool binds in a directory only its user may
 * enter, one per worker start, and that the worker connects to. Not the worker's standard output: a
 * task prints there freely without corrupting anything, and the pool leaves the worker's output to
 * its {@code WorkerOutput}.
 *
 * <p><b>Frames.</b> Each message is a 4-byte big-endian length followed by that many bytes of UTF-8
 * JSON; a length outside 0..{@link #MAX_FRAME_BYTES} is a protocol error. The parent sends a {@link
 * TaskRequest}; the worker runs it and answers with a {@link TaskReply} carrying the same id; one
 * task at a time. The parent closing the connection tells the worker to exit; the worker closing it
 * (or dying) between frames is a clean end of stream, anywhere else an {@link EOFException}.
 *
 * <p>Not thread-safe: each side uses its connection from one thread.
 */
final class WorkerProtocol {

  /** The largest frame either side accepts: 64 MiB of JSON is no longer a task's argument. */
  static final int MAX_FRAME_BYTES = 64 << 20;

  /** Writes and reads arguments, results and the messages themselves. */
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final DataInputStream in;
  private final DataOutputStream out;

  WorkerProtocol(SocketChannel channel) {
    this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
    this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
  }

  /**
   * Runs one task.
   *
   * @param id the parent's number for the task, echoed in the reply
   * @param taskClass the {@link ProcessTask} class's binary name
   * @param argument the argument as JSON
   */
  record TaskRequest(long id, String taskClass, JsonNode argument) {}

  /**
   * How one task ended: a result, or the exception it threw.
   *
   * @param id the request's id
   * @param result the result as JSON; ignored when the task threw
   * @param exceptionClass the class of the exception the task threw, {@code null} if it returned
   * @param stackTrace the exception's stack trace as the worker printed it, {@code null} if none
   */
  record TaskReply(long id, JsonNode result, String exceptionClass, String stackTrace) {

    static TaskReply success(long id, JsonNode result) {
      return new TaskReply(id, result, null, null);
    }

    static TaskReply failure(long id, Throwable failure) {
      StringWriter trace = new StringWriter();
      try (PrintWriter writer = new PrintWriter(trace)) {
        failure.printStackTrace(writer);
      }
      return new TaskReply(id, null, failure.getClass().getName(), trace.toString());
    }

    boolean threw() {
      return exceptionClass != null;
    }
  }

  /** Sends one message as a frame and flushes it. */
  void send(Object message) throws IOException {
    byte[] json = JSON.writeValueAsBytes(message);
    if (json.length > MAX_FRAME_BYTES) {
      throw new ProtocolException(
          "a " + json.length + "-byte message exceeds the limit of " + MAX_FRAME_BYTES + " bytes");
    }
    out.writeInt(json.length);
    out.write(json);
    out.flush();
  }

  /**
   * Reads one message, or empty when the other side closed the connection between frames.
   *
   * @throws EOFException if the connection ends inside a frame
   * @throws ProtocolException if the frame's length is out of range
   * @throws JacksonException if the frame is not a {@code type} in JSON
   */
  <T> Optional<T> receive(Class<T> type) throws IOException {
    int first = in.read();
    if (first < 0) {
      return Optional.empty();
    }
    int length = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new ProtocolException("frame length " + length + " is out of range");
    }
    byte[] json = new byte[length];
    in.readFully(json);
    return Optional.of(JSON.readValue(json, type));
  }

  /**
   * The argument and result types of a {@link ProcessTask} class, {@code [A, R]}.
   *
   * @throws IllegalArgumentException if the class does not implement {@code ProcessTask} with type
   *     arguments
   */
  static JavaType[] taskTypes(Class<?> taskClass) {
    if (!ProcessTask.class.isAssignableFrom(taskClass)) {
      throw new IllegalArgumentException(taskClass.getName() + " is not a ProcessTask");
    }
    JavaType[] types =
        JSON.getTypeFactory().constructType(taskClass).findTypeParameters(ProcessTask.class);
    if (types == null || types.length != 2) {
      throw new IllegalArgumentException(
          taskClass.getName()
              + " implements the raw ProcessTask; give its argument and result types, as in"
              + " ProcessTask<PrimeRange, Long>");
    }
    return types;
  }
}
