package io.github.concurrencycourse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * A lesson run as {@code course run} runs it, recording what the lesson prints, for tests that
 * assert on a lesson's output.
 *
 * <p>Either call {@link #run(Lesson, Pace)} for the whole lesson, or create a {@code LessonRun},
 * hand its {@link #context()} to a lesson or to one of its steps, and read {@link #text()} or
 * {@link #lines()} afterwards. The context prints UTF-8 into memory, has no input and no arguments
 * unless the caller adds them ({@code context -> context.withInput("1234\n")}, {@code
 * .withArguments(List.of("--unsafe"))}). {@link #runLeavingNothingBehind} also checks that the
 * lesson left no child process and no thread running, for lessons that start them.
 *
 * <p>Thread-safe: the lesson's threads may print concurrently (the underlying {@link PrintStream}
 * is synchronized). {@link #text()} holds everything printed by actions that happen-before the
 * call, for example everything a lesson printed before its {@code run} returned.
 */
public final class LessonRun {

  /** How long {@link #runLeavingNothingBehind} lets the lesson's threads take to end. */
  public static final Duration SETTLE_TIME = Duration.ofSeconds(10);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final LessonContext context;

  /** A recording context at {@code pace}, with no input and no arguments. */
  public LessonRun(Pace pace) {
    this.context = LessonContext.of(new PrintStream(bytes, true, StandardCharsets.UTF_8), pace);
  }

  /**
   * Runs {@code lesson} at {@code pace} with no input and no arguments and returns what it printed.
   *
   * @throws Exception whatever the lesson's {@code run} throws
   */
  public static String run(Lesson lesson, Pace pace) throws Exception {
    return run(lesson, pace, context -> context);
  }

  /**
   * Runs {@code lesson} at {@code pace} with the context that {@code customise} makes of the
   * recording one (for example {@code context -> context.withInput("1234\n")} or {@code
   * .withArguments(List.of("--unsafe"))}), and returns what it printed.
   *
   * @throws Exception whatever the lesson's {@code run} throws
   */
  public static String run(Lesson lesson, Pace pace, UnaryOperator<LessonContext> customise)
      throws Exception {
    LessonRun recording = new LessonRun(pace);
    lesson.run(customise.apply(recording.context()));
    return recording.text();
  }

  /**
   * Runs {@code lesson} as {@link #run(Lesson, Pace, UnaryOperator)} does, then checks that it left
   * nothing running: no child process (nor any other descendant of this JVM) at once, and, within
   * {@link #SETTLE_TIME}, no thread started during the run — output readers and exit watchers end a
   * moment after their child.
   *
   * @throws AssertionError if a process or a thread the lesson started is still alive
   * @throws Exception whatever the lesson's {@code run} throws
   */
  public static String runLeavingNothingBehind(
      Lesson lesson, Pace pace, UnaryOperator<LessonContext> customise) throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    String text = run(lesson, pace, customise);
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
        .as("processes left running by " + lesson.id())
        .isEmpty();
    Awaitility.await()
        .atMost(SETTLE_TIME)
        .pollInSameThread()
        .untilAsserted(
            () ->
                assertThat(before.startedSince())
                    .as("threads left running by " + lesson.id())
                    .isEmpty());
    return text;
  }

  /**
   * The lines of {@code output} that a child called {@code name} printed, without the {@code [name]
   * } prefix the launcher puts in front of each.
   */
  public static List<String> linesOfChild(String output, String name) {
    String prefix = "[" + name + "] ";
    return output
        .lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()))
        .toList();
  }

  /**
   * The names of the threads alive in this JVM now, for proving that a lesson left none of its own
   * behind.
   */
  public static List<String> liveThreadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .toList();
  }

  /** The context to run a lesson with: it prints into this recording. */
  public LessonContext context() {
    return context;
  }

  /** Everything printed through {@link #context()} so far, decoded as UTF-8. */
  public String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** {@link #text()} split into lines, without their line terminators. */
  public List<String> lines() {
    return text().lines().toList();
  }
}
