package io.github.concurrencycourse.crawler;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@link PageResult}s as lines of text, from any number of threads, without tearing or
 * losing a line.
 *
 * <p>Each line is formatted outside the lock and then written whole, line terminator included,
 * under one lock, so lines from different threads never interleave. {@link #jsonLines} writes one
 * JSON object per line (JSON Lines); {@link #seedText} writes the seed's {@code url[...] 大小[...]}
 * line with the body size in bytes.
 *
 * <p>Thread-safe. {@link #accept} throws {@link UncheckedIOException} if the underlying writer
 * fails, and {@link IllegalStateException} after {@link #close}. The writer does not buffer: wrap a
 * {@link java.io.BufferedWriter} around a file for speed and call {@link #flush} or {@link #close}
 * to push it out.
 */
public final class ResultWriter implements Consumer<PageResult>, Flushable, Closeable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ReentrantLock lock = new ReentrantLock();
  private final Writer out;
  private final Function<PageResult, String> format;

  @GuardedBy("lock")
  private boolean closed;

  private ResultWriter(Writer out, Function<PageResult, String> format) {
    this.out = Objects.requireNonNull(out, "out");
    this.format = format;
  }

  /** A writer of JSON Lines: one object per result with the fields of {@link PageResult}. */
  public static ResultWriter jsonLines(Writer out) {
    return new ResultWriter(out, JSON::writeValueAsString);
  }

  /** A writer of the seed's text lines, {@code url[<url>] 大小[<bytes>]}. */
  public static ResultWriter seedText(Writer out) {
    return new ResultWriter(out, ResultWriter::seedLine);
  }

  /** The seed's line for {@code result}, without the line terminator. */
  public static String seedLine(PageResult result) {
    return "url[%s] 大小[%s]".formatted(result.url(), result.bytes());
  }

  @Override
  public void accept(PageResult result) {
    String line = format.apply(result) + "\n";
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("result writer is closed");
      }
      out.write(line);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the result for " + result.url(), e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void flush() throws IOException {
    lock.lock();
    try {
      out.flush();
    } finally {
      lock.unlock();
    }
  }

  /** Flushes and closes the underlying writer; later {@link #accept} calls fail. Idempotent. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        out.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
