package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CallbacksLessonTest {

  @Test
  @Timeout(10)
  void eachCallbackRunsOnTheThreadTheLessonClaims() throws Exception {
    LessonRun output = new LessonRun(new Pace(0.02));
    new CallbacksLesson().run(output.context());
    List<String> lines = output.lines();
    String caller = Thread.currentThread().getName();

    List<String> part1 = section(lines, "-- 1.", "-- 2.");
    List<String> part2 = section(lines, "-- 2.", "-- 3.");
    List<String> part3 = section(lines, "-- 3.", "-- 4.");
    List<String> part4 = section(lines, "-- 4.", "main");

    assertThat(parsers(part1)).hasSize(5).allMatch(t -> t.startsWith("downloader-"));
    assertThat(parsers(part2)).containsExactly(caller);
    assertThat(parsers(part3)).hasSize(5).allMatch(t -> t.startsWith("parser-"));
    assertThat(part1).contains("url[https://www.python.org] 大小[538]");
    assertThat(part4)
        .anyMatch(l -> l.startsWith("下载失败[https://unreachable.invalid/]: UnknownHostException"))
        .contains("thenAccept's stage: completed exceptionally, callback skipped")
        .noneMatch(l -> l.startsWith("never printed"));
    assertThat(lines.getLast()).isEqualTo("main");
  }

  @Test
  void thenAcceptSkipsAFailedStageWhileWhenCompleteSeesIt() {
    CompletableFuture<String> failed =
        CompletableFuture.failedFuture(new IllegalStateException("x"));
    AtomicBoolean accepted = new AtomicBoolean();
    AtomicBoolean completed = new AtomicBoolean();
    CompletableFuture<Void> acceptStage = failed.thenAccept(s -> accepted.set(true));
    CompletableFuture<String> completeStage =
        failed.whenComplete((s, e) -> completed.set(e instanceof IllegalStateException));
    assertThat(acceptStage).isCompletedExceptionally();
    assertThat(completeStage).isCompletedExceptionally();
    assertThat(accepted).isFalse();
    assertThat(completed).isTrue();
  }

  /** The thread names in a section's {@code 线程[name]正在解析[url]} lines. */
  private static List<String> parsers(List<String> section) {
    return section.stream()
        .filter(l -> l.startsWith("线程[") && l.contains("正在解析"))
        .map(l -> l.substring("线程[".length(), l.indexOf(']')))
        .toList();
  }

  private static List<String> section(List<String> lines, String from, String to) {
    int start = indexStartingWith(lines, from);
    int end = indexStartingWith(lines.subList(start, lines.size()), to) + start;
    return lines.subList(start, end);
  }

  private static int indexStartingWith(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no line starts with " + prefix + " in " + lines);
  }
}
