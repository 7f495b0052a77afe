package io.github.concurrencycourse.processes.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class ProcessesLessonRegistryTest {

  @Test
  void everyProcessLessonIsRegistered() {
    assertThat(
            ModuleLessons.assertRegistered(
                "processes",
                "processes.start-function",
                "processes.start-subclass",
                "processes.attributes",
                "processes.mutex",
                "processes.ticket-rush",
                "processes.producer-consumer",
                "processes.joinable-queue"))
        .noneMatch(Lesson::interactive);
  }
}
