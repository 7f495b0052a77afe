package io.github.concurrencycourse.iomodels.lessons;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/** Runs a lesson the way the launcher does and returns what it printed. */
final class LessonRun {

  private LessonRun() {}

  static String run(Lesson lesson, Pace pace) throws Exception {
    return run(lesson, pace, context -> context);
  }

  static String run(Lesson lesson, Pace pace, UnaryOperator<LessonContext> customise)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      lesson.run(customise.apply(LessonContext.of(out, pace).withArguments(List.of())));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The names of the live threads, to prove that a lesson left none of its own behind. */
  static List<String> liveThreadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .toList();
  }
}
