package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ThreadPoolLessonTest {

  private static final Pattern RUNNING = Pattern.compile("name:\\[(.+)],pid:\\[(\\d+)] is running");

  @Test
  @Timeout(10)
  void tenTasksOnAtMostFiveThreadsOfThisProcessThenMain() throws Exception {
    LessonRun output = new LessonRun(new Pace(0.02));
    new ThreadPoolLesson().run(output.context());
    List<String> lines = output.lines();
    int separator =
        lines.indexOf("-- try (ExecutorService pool = ...): close() shuts down and waits");
    assertThat(separator).isPositive();
    for (List<String> part :
        List.of(lines.subList(0, separator), lines.subList(separator, lines.size()))) {
      List<Matcher> running = part.stream().map(RUNNING::matcher).filter(Matcher::matches).toList();
      assertThat(running).hasSize(10);
      assertThat(running.stream().map(m -> m.group(1)).distinct().count()).isBetween(1L, 5L);
      assertThat(running.stream().map(m -> Long.parseLong(m.group(2))))
          .containsOnly(ProcessHandle.current().pid());
      String most = part.stream().filter(l -> l.startsWith("at most ")).findFirst().orElseThrow();
      assertThat(Integer.parseInt(most.replaceAll("\\D+", ""))).isBetween(1, 5);
      assertThat(part.getLast()).isEqualTo("main");
    }
  }
}
