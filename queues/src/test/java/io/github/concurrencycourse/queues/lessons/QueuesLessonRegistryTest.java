package io.github.concurrencycourse.queues.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class QueuesLessonRegistryTest {

  @Test
  void everyQueuesLessonIsRegistered() {
    assertThat(
            ModuleLessons.assertRegistered(
                "queues",
                "queues.producer-consumer",
                "queues.joinable",
                "queues.fifo",
                "queues.lifo",
                "queues.priority"))
        .noneMatch(Lesson::interactive);
  }
}
