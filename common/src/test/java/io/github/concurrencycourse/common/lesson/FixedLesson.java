package io.github.concurrencycourse.common.lesson;

/**
 * A lesson with a given id and section, ported from the seed or beyond it, that prints its id; for
 * registry tests.
 */
record FixedLesson(String id, SeedSection seedSection, boolean beyondTheSeed) implements Lesson {

  /** A lesson that ports {@code seedSection}. */
  FixedLesson(String id, SeedSection seedSection) {
    this(id, seedSection, false);
  }

  /** A lesson beyond the seed that follows {@code seedSection} in the tour. */
  static FixedLesson beyondTheSeed(String id, SeedSection seedSection) {
    return new FixedLesson(id, seedSection, true);
  }

  @Override
  public String title() {
    return "fixed " + id;
  }

  @Override
  public void run(LessonContext context) {
    context.out().println(id);
  }
}
