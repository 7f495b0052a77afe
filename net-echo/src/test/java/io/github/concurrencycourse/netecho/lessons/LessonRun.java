package io.github.concurrencycourse.netecho.lessons;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a lesson the way the launcher does and returns what it printed. */
final class LessonRun {

  private LessonRun() {}

  static String run(Lesson lesson, Pace pace, String input) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      lesson.run(LessonContext.of(out, pace).withArguments(List.of()).withInput(input));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
