package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BlockingLessonTest {

  @Test
  void theSecondClientWaitsUntilTheFirstLeaves() throws Exception {
    String output = LessonRun.run(new BlockingLesson(), Pace.TEST);

    assertThat(output)
        .contains("client A: HELLO FROM A")
        .contains("connections the server accepted: 1 (its only thread is blocked in read()")
        .contains("client B: HELLO FROM B")
        .contains("connections the server accepted: 2");
    assertThat(output.indexOf("client A leaves")).isLessThan(output.indexOf("client B: HELLO"));
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("blocking-echo"));
  }
}
