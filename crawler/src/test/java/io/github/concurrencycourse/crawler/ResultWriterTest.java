package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ResultWriterTest {

  private static PageResult result(int i) {
    return PageResult.requested("http://127.0.0.1/page/" + i + ".html", 1)
        .status(200)
        .bytes(1_000 + i)
        .page("Page \"" + i + "\" 线程", 3)
        .elapsedMs(7)
        .fetched();
  }

  @Test
  void jsonLinesCarryEveryField() {
    StringWriter out = new StringWriter();
    ResultWriter.jsonLines(out).accept(result(1));

    JsonNode json = JsonMapper.builder().build().readTree(out.toString());
    assertThat(out.toString()).endsWith("}\n").hasLineCount(1);
    assertThat(json.get("url").asString()).isEqualTo("http://127.0.0.1/page/1.html");
    assertThat(json.get("finalUrl").asString()).isEqualTo("http://127.0.0.1/page/1.html");
    assertThat(json.get("outcome").asString()).isEqualTo("FETCHED");
    assertThat(json.get("status").asInt()).isEqualTo(200);
    assertThat(json.get("bytes").asLong()).isEqualTo(1_001);
    assertThat(json.get("title").asString()).isEqualTo("Page \"1\" 线程");
    assertThat(json.get("outLinks").asInt()).isEqualTo(3);
    assertThat(json.get("depth").asInt()).isEqualTo(1);
    assertThat(json.get("elapsedMs").asLong()).isEqualTo(7);
    assertThat(json.get("error").isNull()).isTrue();
  }

  @Test
  void seedTextIsTheSeedsLine() {
    StringWriter out = new StringWriter();
    ResultWriter.seedText(out).accept(result(2));
    assertThat(out).hasToString("url[http://127.0.0.1/page/2.html] 大小[1002]\n");
  }

  /**
   * A writer that pauses in the middle of every write, so that unsynchronized callers would
   * interleave; the lock must keep each line whole.
   */
  private static final class SlowWriter extends Writer {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void write(char[] buffer, int offset, int length) {
      int half = length / 2;
      synchronized (text) {
        text.append(buffer, offset, half);
      }
      LockSupport.parkNanos(20_000);
      synchronized (text) {
        text.append(buffer, offset + half, length - half);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String text() {
      synchronized (text) {
        return text.toString();
      }
    }
  }

  @Test
  @Timeout(30)
  void manyThreadsNeverTearOrLoseALine() throws Exception {
    SlowWriter out = new SlowWriter();
    ResultWriter writer = ResultWriter.seedText(out);
    int threads = 8;
    int perThread = 200;
    CyclicBarrier start = new CyclicBarrier(threads);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    writer.accept(result(base + i));
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    }
    List<String> expected =
        IntStream.range(0, threads * perThread)
            .mapToObj(i -> ResultWriter.seedLine(result(i)))
            .toList();
    assertThat(out.text().lines().toList()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aClosedWriterRefusesResults() throws IOException {
    ResultWriter writer = ResultWriter.jsonLines(new StringWriter());
    writer.close();
    writer.close();
    assertThatThrownBy(() -> writer.accept(result(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("result writer is closed");
  }
}
