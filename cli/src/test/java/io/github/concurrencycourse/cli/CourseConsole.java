package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code course} in this JVM as a test would at a terminal: given lessons and typed input,
 * with standard output and error captured, in UTF-8. One per test; its captures grow across runs.
 */
final class CourseConsole {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /**
   * Runs the command line with {@code lessons} registered and {@code input} typed; the exit code.
   */
  int run(List<? extends Lesson> lessons, String input, String... args) {
    return commandLine(lessons, input).execute(args);
  }

  /** The command line over {@code lessons}, reading {@code input} and writing to the captures. */
  CommandLine commandLine(List<? extends Lesson> lessons, String input) {
    return CourseCommand.commandLine(
        LessonRegistry.of(lessons),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        new BufferedReader(new StringReader(input)));
  }

  /** Runs the command line with no lessons and {@code input} typed. */
  int typing(String input, String... args) {
    return run(List.of(), input, args);
  }

  /** Runs the command line with no lessons and nothing typed. */
  int run(String... args) {
    return run(List.of(), "", args);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
