package io.github.concurrencycourse.queues.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import org.junit.jupiter.api.Test;

class QueuesLessonRegistryTest {

  @Test
  void registryFindsEveryLessonOfTheModule() {
    LessonRegistry registry = LessonRegistry.load();
    assertThat(registry.byModule().get("queues"))
        .extracting(Lesson::id)
        .containsExactlyInAnyOrder(
            "queues.fifo",
            "queues.lifo",
            "queues.priority",
            "queues.producer-consumer",
            "queues.joinable");
  }
}
