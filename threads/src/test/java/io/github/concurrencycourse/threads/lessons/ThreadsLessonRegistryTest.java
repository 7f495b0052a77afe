package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class ThreadsLessonRegistryTest {

  @Test
  void everyThreadsLessonIsRegisteredAndOnlyTheCaptchaIsInteractive() {
    assertThat(
            ModuleLessons.assertRegistered(
                "threads",
                "threads.start-function",
                "threads.start-subclass",
                "threads.attributes",
                "threads.timer-captcha",
                "threads.coroutines",
                "threads.virtual"))
        .filteredOn(Lesson::interactive)
        .extracting(Lesson::id)
        .containsExactly("threads.timer-captcha");
  }
}
