package io.github.concurrencycourse.common.lesson;

/** A lesson with a given id and section that prints its id; for registry tests. */
record FixedLesson(String id, SeedSection seedSection) implements Lesson {

  @Override
  public String title() {
    return "fixed " + id;
  }

  @Override
  public void run(LessonContext context) {
    context.out().println(id);
  }
}
