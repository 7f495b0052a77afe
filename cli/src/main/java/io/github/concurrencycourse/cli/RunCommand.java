package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code course run ID [--pace X] [--timeout D] [ARGS...]}: runs one lesson in the foreground.
 *
 * <p>Exit codes: 0 the lesson passed; 1 it failed or outlived the timeout; 2 a usage error (no such
 * lesson, a bad pace or timeout).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run one lesson. Options the course does not know are passed to the lesson.")
final class RunCommand implements Callable<Integer> {

  private final LessonRegistry registry;
  private final PrintStream out;
  private final PrintStream err;
  private final BufferedReader in;

  @Parameters(index = "0", paramLabel = "ID", description = "the lesson id, e.g. sync.mutex")
  private String id;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "arguments for the lesson")
  private List<String> arguments = new ArrayList<>();

  @Mixin private final PaceOption pace = new PaceOption(Pace.SEED);

  @Mixin private final LessonTimeoutOption timeout = new LessonTimeoutOption(Duration.ofHours(1));

  @Spec private CommandSpec spec;

  RunCommand(LessonRegistry registry, PrintStream out, PrintStream err, BufferedReader in) {
    this.registry = registry;
    this.out = out;
    this.err = err;
    this.in = in;
  }

  @Override
  public Integer call() throws InterruptedException {
    Lesson lesson =
        registry
            .find(id)
            .orElseThrow(() -> new ParameterException(spec.commandLine(), unknownLessonMessage()));
    LessonContext context = new LessonContext(out, in, pace.pace(), List.copyOf(arguments));
    LessonRunner.Outcome outcome = LessonRunner.run(lesson, context, timeout.timeout());
    if (outcome.status() == LessonRunner.Status.PASSED) {
      return 0;
    }
    err.println("course: lesson " + id + " " + outcome.status().label() + ":");
    outcome.failure().ifPresent(t -> t.printStackTrace(err));
    return 1;
  }

  private String unknownLessonMessage() {
    List<String> near =
        registry.all().stream()
            .map(Lesson::id)
            .filter(
                known -> known.contains(id) || id.contains(known.substring(known.indexOf('.') + 1)))
            .toList();
    String hint =
        near.isEmpty()
            ? "run 'course list' to see them"
            : "did you mean " + String.join(", ", near) + "?";
    return "no lesson '" + id + "'; " + hint;
  }
}
