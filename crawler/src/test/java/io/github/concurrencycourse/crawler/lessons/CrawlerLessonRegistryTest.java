package io.github.concurrencycourse.crawler.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class CrawlerLessonRegistryTest {

  @Test
  void everyCrawlerLessonIsRegistered() {
    assertThat(
            ModuleLessons.assertRegistered(
                "crawler", "crawler.callbacks", "crawler.async", "crawler.virtual"))
        .noneMatch(Lesson::interactive);
  }
}
