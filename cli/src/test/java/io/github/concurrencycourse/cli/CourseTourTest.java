package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real tour: every lesson of every topic module on the CLI's class path, as users run it. */
class CourseTourTest {

  @Test
  @Timeout(600)
  void everyNonInteractiveLessonPassesTheTour() {
    LessonRegistry registry = LessonRegistry.load();
    CourseConsole console = new CourseConsole();

    int exit = console.run(registry.all(), "", "tour", "--pace", "0.02");

    String output = console.out();
    assertThat(exit).as("tour output:%n%s%nerrors:%n%s", output, console.err()).isZero();
    for (Lesson lesson : registry.all()) {
      if (!lesson.interactive()) {
        assertThat(output).contains("| " + lesson.id() + " | ");
      }
    }
  }

  @Test
  void theCliSeesTheLessonsOfEveryTopicModuleThatHasThem() {
    assertThat(LessonRegistry.load().byModule().keySet())
        .contains(
            "processes",
            "threads",
            "sync",
            "queues",
            "pools",
            "net-echo",
            "crawler",
            "io-models",
            "memory-model");
  }
}
