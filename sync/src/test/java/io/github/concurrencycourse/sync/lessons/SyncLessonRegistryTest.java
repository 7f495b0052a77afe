package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class SyncLessonRegistryTest {

  @Test
  void everySyncLessonIsRegisteredInSeedOrder() {
    assertThat(
            ModuleLessons.assertRegistered(
                "sync",
                "sync.ticket-rush-threads",
                "sync.mutex",
                "sync.deadlock",
                "sync.rlock",
                "sync.semaphore",
                "sync.with-lock",
                "sync.read-write",
                "sync.event",
                "sync.condition",
                "sync.latch-barrier"))
        .noneMatch(Lesson::interactive);
  }
}
