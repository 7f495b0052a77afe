package io.github.concurrencycourse.netecho.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class NetEchoLessonRegistryTest {

  @Test
  void everyNetEchoLessonIsRegisteredAndOnlyTheClientIsInteractive() {
    assertThat(
            ModuleLessons.assertRegistered(
                "net-echo",
                "net-echo.process-server",
                "net-echo.process-per-connection",
                "net-echo.client",
                "net-echo.pool-server"))
        .filteredOn(Lesson::interactive)
        .extracting(Lesson::id)
        .containsExactly("net-echo.client");
  }
}
