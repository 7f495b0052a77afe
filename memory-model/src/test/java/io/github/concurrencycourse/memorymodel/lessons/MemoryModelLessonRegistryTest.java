package io.github.concurrencycourse.memorymodel.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class MemoryModelLessonRegistryTest {

  @Test
  void theFiveLessonsAreRegisteredInTeachingOrderBeyondTheSeedAfterTheLastSection() {
    assertThat(
            ModuleLessons.assertRegistered(
                "memory-model",
                "memory-model.visibility",
                "memory-model.reordering",
                "memory-model.publication",
                "memory-model.atomicity",
                "memory-model.lock-free"))
        .allMatch(Lesson::beyondTheSeed)
        .allMatch(lesson -> lesson.seedSection() == SeedSection.IO_MODELS)
        .noneMatch(Lesson::interactive);
  }
}
