package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import org.junit.jupiter.api.Test;

class ThreadsLessonRegistryTest {

  @Test
  void everyThreadsLessonIsRegistered() {
    LessonRegistry registry = LessonRegistry.load();

    assertThat(registry.byModule().get("threads"))
        .extracting(Lesson::id)
        .containsExactly(
            "threads.start-function",
            "threads.start-subclass",
            "threads.attributes",
            "threads.timer-captcha",
            "threads.coroutines",
            "threads.virtual");
  }
}
