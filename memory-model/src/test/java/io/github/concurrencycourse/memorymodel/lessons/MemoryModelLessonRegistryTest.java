package io.github.concurrencycourse.memorymodel.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import io.github.concurrencycourse.common.lesson.SeedSection;
import org.junit.jupiter.api.Test;

class MemoryModelLessonRegistryTest {

  @Test
  void theFiveLessonsAreRegisteredInTeachingOrderBeyondTheSeedAfterTheLastSection() {
    LessonRegistry registry = LessonRegistry.load();

    assertThat(registry.byModule().get("memory-model"))
        .extracting(Lesson::id)
        .containsExactly(
            "memory-model.visibility",
            "memory-model.reordering",
            "memory-model.publication",
            "memory-model.atomicity",
            "memory-model.lock-free");
    assertThat(registry.byModule().get("memory-model"))
        .allMatch(Lesson::beyondTheSeed)
        .allMatch(lesson -> lesson.seedSection() == SeedSection.IO_MODELS)
        .noneMatch(Lesson::interactive);
  }
}
