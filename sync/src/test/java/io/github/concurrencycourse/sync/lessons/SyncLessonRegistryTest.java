package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import org.junit.jupiter.api.Test;

class SyncLessonRegistryTest {

  @Test
  void everySyncLessonIsRegisteredInSeedOrder() {
    LessonRegistry registry = LessonRegistry.load();

    assertThat(registry.byModule().get("sync"))
        .extracting(Lesson::id)
        .containsExactly(
            "sync.ticket-rush-threads",
            "sync.mutex",
            "sync.deadlock",
            "sync.rlock",
            "sync.semaphore",
            "sync.with-lock",
            "sync.read-write",
            "sync.event",
            "sync.condition",
            "sync.latch-barrier");
    assertThat(registry.byModule().get("sync")).noneMatch(Lesson::interactive);
  }
}
