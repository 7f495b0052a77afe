package io.github.concurrencycourse.netecho.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import org.junit.jupiter.api.Test;

class NetEchoLessonRegistryTest {

  @Test
  void everyNetEchoLessonIsRegistered() {
    assertThat(LessonRegistry.load().byModule().get("net-echo"))
        .extracting(Lesson::id)
        .containsExactlyInAnyOrder(
            "net-echo.process-server",
            "net-echo.process-per-connection",
            "net-echo.client",
            "net-echo.pool-server");
  }
}
