package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SelectorLessonTest {

  @Test
  void theLoopSleepsWhileIdleAndPausesAClientThatDoesNotRead() throws Exception {
    String output = LessonRun.run(new SelectorLesson(), Pace.TEST);

    assertThat(output)
        .containsPattern("5 clients x 3 messages: \\d+ ready events from the selector")
        .contains("ready events during the silence: 0")
        .contains("paused connections 1")
        .containsPattern("the server holds ([1-9]\\d{0,2}|[1-7]\\d{3}|8[01]\\d\\d|819[0-2]) bytes")
        .contains("16777216 bytes back, all upper-cased");
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("selector-echo"));
  }
}
