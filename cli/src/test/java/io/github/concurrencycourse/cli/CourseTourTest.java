package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real tour: every lesson of every topic module on the CLI's class path, as users run it. */
class CourseTourTest {

  @Test
  @Timeout(600)
  void everyNonInteractiveLessonPassesTheTour() {
    LessonRegistry registry = LessonRegistry.load();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit =
        CourseCommand.commandLine(
                registry,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader("")))
            .execute("tour", "--pace", "0.02");

    String output = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("tour output:%n%s%nerrors:%n%s", output, err).isZero();
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
            "processes", "threads", "sync", "queues", "pools", "net-echo", "crawler", "io-models");
  }
}
