package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class IoModelsLessonRegistryTest {

  @Test
  void everyIoModelsLessonIsRegisteredUnderTheIoModelsSection() {
    assertThat(
            ModuleLessons.assertRegistered(
                "io-models",
                "io-models.blocking",
                "io-models.non-blocking",
                "io-models.selector",
                "io-models.async",
                "io-models.netty"))
        .allMatch(lesson -> lesson.seedSection() == SeedSection.IO_MODELS)
        .noneMatch(Lesson::interactive);
  }
}
