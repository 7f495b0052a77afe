package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PoolMapLessonTest {

  @Test
  @Timeout(10)
  void resultsInOrderBoundedInputAndTheFailureAtItsPlace() throws Exception {
    LessonRun output = new LessonRun(new Pace(0.02));
    new PoolMapLesson().run(output.context());
    List<String> lines = output.lines();

    assertThat(
            lines.stream().filter(l -> l.matches("name:\\[.+],pid:\\[\\d+] is running task \\d")))
        .hasSize(10);
    assertThat(lines)
        .containsSubsequence(
            "result 0 -> 0",
            "result 1 -> 1",
            "result 2 -> 4",
            "result 3 -> 9",
            "result 4 -> 16",
            "result 5 -> 25",
            "result 6 -> 36",
            "result 7 -> 49",
            "result 8 -> 64",
            "result 9 -> 81",
            "12 results, 17 inputs read",
            "-- a task that throws: its exception comes at its place in the order",
            "result 0 -> 0",
            "result 1 -> 1",
            "result 2 -> 4",
            "result 3 -> 9",
            "task 4 failed: IllegalArgumentException: no square for 4",
            "results after it: none (closed)",
            "main");
    int failureSection =
        lines.indexOf("-- a task that throws: its exception comes at its place in the order");
    assertThat(lines.subList(failureSection, lines.size())).doesNotContain("result 4 -> 16");
  }
}
