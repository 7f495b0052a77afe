package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import io.github.concurrencycourse.common.lesson.SeedSection;
import org.junit.jupiter.api.Test;

class IoModelsLessonRegistryTest {

  @Test
  void everyIoModelsLessonIsRegistered() {
    LessonRegistry registry = LessonRegistry.load();

    assertThat(registry.byModule().get("io-models"))
        .extracting(Lesson::id)
        .containsExactlyInAnyOrder(
            "io-models.blocking",
            "io-models.non-blocking",
            "io-models.selector",
            "io-models.async",
            "io-models.netty");
    assertThat(registry.byModule().get("io-models"))
        .allMatch(lesson -> lesson.seedSection() == SeedSection.IO_MODELS)
        .noneMatch(Lesson::interactive);
  }
}
