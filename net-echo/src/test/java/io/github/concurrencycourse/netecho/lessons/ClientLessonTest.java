package io.github.concurrencycourse.netecho.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientLessonTest {

  @Test
  void echoesTheScriptedLinesAndLeavesOnQuit() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();

    String printed =
        LessonRun.run(
            new ClientLesson(), Pace.TEST, c -> c.withInput("hello\n\n你好 world\nquit\nnot sent\n"));

    assertThat(printed)
        .startsWith("服务器已经启动.... (")
        .contains("\n>>:HELLO\n>>:>>:你好 WORLD\n>>:session ended: quit\n")
        .doesNotContain("NOT SENT");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(before.startedSince(name -> false)).isEmpty());
  }

  @Test
  void leavesAtTheEndOfTheInput() throws Exception {
    String printed = LessonRun.run(new ClientLesson(), Pace.TEST, c -> c.withInput("one\n"));

    assertThat(printed).endsWith(">>:ONE\n>>:\nsession ended: end of input\n");
    assertThat(new ClientLesson().interactive()).isTrue();
  }
}
