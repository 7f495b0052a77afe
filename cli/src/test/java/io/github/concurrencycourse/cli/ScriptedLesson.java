package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;

/** A lesson whose behaviour a test chooses. */
record ScriptedLesson(String id, SeedSection seedSection, boolean interactive, Body body)
    implements Lesson {

  /** What the lesson does when run. */
  @FunctionalInterface
  interface Body {
    void run(LessonContext context) throws Exception;
  }

  static ScriptedLesson printing(String id, SeedSection section) {
    return new ScriptedLesson(
        id, section, false, c -> c.out().println(id + " ran at pace " + c.pace().factor()));
  }

  @Override
  public String title() {
    return "scripted " + id;
  }

  @Override
  public void run(LessonContext context) throws Exception {
    body.run(context);
  }
}
