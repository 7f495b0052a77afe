package io.github.concurrencycourse.common.lesson;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a lesson runs with: where it prints, where it reads, how fast it sleeps and the arguments it
 * was given.
 *
 * <p>The output is a {@link PrintStream}, whose methods are synchronized, so the threads a lesson
 * starts may print to it concurrently without tearing lines. The input is not thread-safe; read it
 * from one thread.
 *
 * @param out where the lesson prints (UTF-8)
 * @param in where an interactive lesson reads its lines
 * @param pace the time scale of every demo sleep
 * @param arguments the lesson's own arguments, for example {@code --unsafe}
 */
public record LessonContext(PrintStream out, BufferedReader in, Pace pace, List<String> arguments) {

  /** Creates a context; the argument list is copied. */
  public LessonContext {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(pace, "pace");
    arguments = List.copyOf(arguments);
  }

  /** A context that prints to {@code out}, has no input and no arguments. */
  public static LessonContext of(PrintStream out, Pace pace) {
    return new LessonContext(out, emptyInput(), pace, List.of());
  }

  /** Whether {@code flag} (such as {@code --unsafe}) is among the arguments. */
  public boolean hasFlag(String flag) {
    return arguments.contains(flag);
  }

  /** Returns this context with other arguments. */
  public LessonContext withArguments(List<String> newArguments) {
    return new LessonContext(out, in, pace, newArguments);
  }

  /** Returns this context reading its input from {@code text}. */
  public LessonContext withInput(String text) {
    return new LessonContext(
        out,
        new BufferedReader(
            new InputStreamReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)),
        pace,
        arguments);
  }

  private static BufferedReader emptyInput() {
    return new BufferedReader(
        new InputStreamReader(new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8));
  }
}
