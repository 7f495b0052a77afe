package io.github.concurrencycourse.processes.lessons;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The terminal that the seed's processes share: one file that every child appends its lines to, and
 * that the parent follows and prints.
 *
 * <p>Needed where the order of lines from different processes is the point, as in the mutex lesson.
 * A child's standard output reaches the parent through a pipe of its own, read by a thread of its
 * own, so two children's lines can arrive in the other order than they were printed: a process that
 * prints its last line and releases a lock may be overtaken by the next holder's first line.
 * Python's children all write to one inherited terminal, where the kernel orders the writes. Here
 * they append to one file opened with {@code O_APPEND}, one {@code write} per line, so the file
 * holds the lines in the order the kernel took them.
 */
final class SharedConsole {

  /** How often the parent looks for new lines. */
  private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(10);

  private SharedConsole() {}

  /**
   * In a child: appends {@code [name] line} to the console file as one write.
   *
   * @throws IOException if the file cannot be written
   */
  static void println(Path file, String name, String line) throws IOException {
    byte[] bytes = ("[" + name + "] " + line + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  /**
   * In the parent: creates an empty console file, prints its lines to {@code out} as the children
   * append them until every child of {@code children} has exited, then prints the rest.
   *
   * @throws TimeoutException if a child still runs after {@link LessonChildren#CHILD_TIME}
   * @throws IOException if the file cannot be read
   */
  static void follow(Path file, PrintStream out, LessonChildren children)
      throws IOException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + LessonChildren.CHILD_TIME.toNanos();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      LineReader pending = new LineReader();
      while (children.anyAlive()) {
        if (System.nanoTime() - deadline > 0) {
          throw new TimeoutException("children still run after " + LessonChildren.CHILD_TIME);
        }
        pending.printCompleteLines(channel, out);
        Thread.sleep(FOLLOW_INTERVAL);
      }
      children.joinAll();
      pending.printCompleteLines(channel, out);
    }
  }

  /** Creates the (empty) console file. */
  static Path create(Path file) throws IOException {
    return Files.createFile(file);
  }

  /** Bytes read from the console file that do not yet end a line. Lines are short. */
  private static final class LineReader {
    private final byte[] bytes = new byte[64 * 1024];
    private final ByteBuffer buffer = ByteBuffer.wrap(bytes);

    void printCompleteLines(FileChannel channel, PrintStream out) throws IOException {
      while (channel.read(buffer) > 0) {
        int lineStart = 0;
        for (int i = 0; i < buffer.position(); i++) {
          if (bytes[i] == '\n') {
            out.println(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8));
            lineStart = i + 1;
          }
        }
        buffer.flip().position(lineStart);
        buffer.compact();
      }
    }
  }
}
