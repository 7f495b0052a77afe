package io.github.concurrencycourse.memorymodel.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.SeedSection;

/**
 * A lesson of this module. The seed does not teach the Java memory model, so every lesson here is
 * {@linkplain #beyondTheSeed() beyond the seed} and follows its last section, {@link
 * SeedSection#IO_MODELS}, in the tour.
 */
abstract class MemoryModelLesson extends AbstractLesson {

  MemoryModelLesson(String id, String title) {
    super(id, title, beyondTheSeedAfter(SeedSection.IO_MODELS));
  }
}
