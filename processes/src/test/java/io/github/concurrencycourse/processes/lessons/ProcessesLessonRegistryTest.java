package io.github.concurrencycourse.processes.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import org.junit.jupiter.api.Test;

class ProcessesLessonRegistryTest {

  @Test
  void everyProcessLessonIsRegistered() {
    LessonRegistry registry = LessonRegistry.load();

    assertThat(registry.byModule().get("processes"))
        .extracting(Lesson::id)
        .contains(
            "processes.start-function",
            "processes.start-subclass",
            "processes.attributes",
            "processes.mutex",
            "processes.ticket-rush");
    assertThat(registry.byModule().get("processes")).noneMatch(Lesson::interactive);
  }
}
