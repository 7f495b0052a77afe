package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.iomodels.SelectorEchoServer;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        .contains("16777216 bytes back, all upper-cased");
    Matcher held = Pattern.compile("the server holds (\\d+) bytes").matcher(output);
    assertThat(held.find()).as(output).isTrue();
    assertThat(Integer.parseInt(held.group(1)))
        .as("at most one buffer of the flood")
        .isBetween(1, SelectorEchoServer.DEFAULT_BUFFER_SIZE);
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("selector-echo"));
  }
}
