package io.github.concurrencycourse.queues.lessons;

import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A lesson context that records what the lesson prints. */
final class LessonOutput {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final LessonContext context =
      LessonContext.of(new PrintStream(bytes, true, StandardCharsets.UTF_8), new Pace(0.02));

  LessonContext context() {
    return context;
  }

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  List<String> lines() {
    return text().lines().toList();
  }
}
