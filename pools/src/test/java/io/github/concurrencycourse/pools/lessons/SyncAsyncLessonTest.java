package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SyncAsyncLessonTest {

  /**
   * Downloads of 100 to 300 ms: 900 ms in all. The bounds below leave 300 ms for everything that is
   * not a download, far more than five submissions and five waits cost even on a busy machine.
   */
  private static final Pace PACE = new Pace(0.1);

  @Test
  void waitingInPlaceTakesTheSumAndNotWaitingTakesTheLongest() throws Exception {
    LessonRun run = new LessonRun(PACE);
    Duration sum = SyncAsyncLesson.sum(PACE);
    Duration longest = SyncAsyncLesson.longest(PACE);
    assertThat(sum).isEqualTo(Duration.ofMillis(900));
    assertThat(longest).isEqualTo(Duration.ofMillis(300));

    SyncAsyncLesson.Timings timings = SyncAsyncLesson.runAll(run.context().out(), PACE);

    // Serial: every download waited for before the next starts, so at least the sum.
    assertThat(timings.synchronous()).isGreaterThanOrEqualTo(sum).isLessThan(sum.plus(longest));
    // Concurrent: at least the longest, and nowhere near the sum.
    Duration halfway = sum.plus(longest).dividedBy(2);
    assertThat(timings.collected()).isGreaterThanOrEqualTo(longest).isLessThan(halfway);
    assertThat(timings.callbacks()).isGreaterThanOrEqualTo(longest).isLessThan(halfway);

    List<String> lines = run.lines();
    // 同步: each download is parsed before the next one is even submitted.
    List<String> synchronous = section(lines, "-- 1.", "-- 2.");
    for (int i = 0; i < SyncAsyncLesson.DOWNLOADS.size(); i++) {
      String url = SyncAsyncLesson.DOWNLOADS.get(i).url();
      assertThat(synchronous.subList(3 * i, 3 * i + 3))
          .satisfiesExactly(
              submit -> assertThat(submit).isEqualTo("main: submit " + url + " and wait"),
              download -> assertThat(download).endsWith("正在下载[" + url + "]"),
              parse -> assertThat(parse).contains("正在解析[" + url + "]"));
    }
    // 异步回调: the caller goes on before any download is back; a callback parses every page.
    List<String> callbacks = section(lines, "-- 3.", null);
    int goesOn = indexOfLineStartingWith(callbacks, "main goes on: 5 downloads submitted");
    assertThat(callbacks.subList(0, goesOn)).noneMatch(l -> l.contains("正在解析"));
    assertThat(callbacks).filteredOn(l -> l.contains("正在解析")).hasSize(5);
  }

  @Test
  void theLessonPrintsTheThreeWallTimesBesideTheSumAndTheLongest() throws Exception {
    List<String> lines = LessonRun.run(new SyncAsyncLesson(), Pace.TEST).lines().toList();

    assertThat(lines)
        .anyMatch(
            l ->
                l.matches(
                    "同步 submit\\(\\.\\.\\.\\)\\.get\\(\\) one by one +\\d+ ms  \\(the sum of the"
                        + " downloads: 180 ms\\)"))
        .anyMatch(
            l ->
                l.matches(
                    "异步 submit all, then collect +\\d+ ms  \\(the longest download: 60 ms\\)"))
        .anyMatch(
            l ->
                l.matches(
                    "异步 callbacks \\(thenAccept\\) +\\d+ ms  \\(the longest download: 60 ms\\)"));
    assertThat(LessonRun.liveThreadNames())
        .noneMatch(
            n -> n.startsWith("sync-") || n.startsWith("collect-") || n.startsWith("callback-"));
  }

  /** The lines from the one starting with {@code from} to the one starting with {@code to}. */
  private static List<String> section(List<String> lines, String from, String to) {
    int start = indexOfLineStartingWith(lines, from) + 1;
    int end = to == null ? lines.size() : indexOfLineStartingWith(lines, to);
    return lines.subList(start, end);
  }

  private static int indexOfLineStartingWith(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no line starts with " + prefix + " in " + lines);
  }
}
