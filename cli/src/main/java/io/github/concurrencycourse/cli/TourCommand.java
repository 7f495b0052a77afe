package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code course tour [--pace X] [--timeout D]}: every non-interactive lesson in the seed's order,
 * then a summary table.
 *
 * <p>Exit codes: 0 every lesson passed; 1 a lesson failed or timed out; 2 a usage error.
 */
@Command(
    name = "tour",
    mixinStandardHelpOptions = true,
    description = "Run every non-interactive lesson in the seed's order and summarise the results.")
final class TourCommand implements Callable<Integer> {

  private final LessonRegistry registry;
  private final PrintStream out;
  private final PrintStream err;

  @Mixin private final PaceOption pace = new PaceOption(Pace.TEST);

  @Mixin
  private final LessonTimeoutOption timeout = new LessonTimeoutOption(Duration.ofSeconds(60));

  TourCommand(LessonRegistry registry, PrintStream out, PrintStream err) {
    this.registry = registry;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    List<Lesson> lessons = registry.all().stream().filter(l -> !l.interactive()).toList();
    if (lessons.isEmpty()) {
      out.println("No lessons are registered yet: the tour has nothing to show.");
      return 0;
    }
    LessonContext context = LessonContext.of(out, pace.pace());
    List<LessonRunner.Outcome> outcomes = new ArrayList<>();
    for (Lesson lesson : lessons) {
      out.printf("%n=== %s: %s [%s]%n", lesson.id(), lesson.title(), ListCommand.heading(lesson));
      LessonRunner.Outcome outcome = LessonRunner.run(lesson, context, timeout.timeout());
      outcome.failure().ifPresent(t -> t.printStackTrace(err));
      outcomes.add(outcome);
    }
    printSummary(outcomes);
    return outcomes.stream().allMatch(o -> o.status() == LessonRunner.Status.PASSED) ? 0 : 1;
  }

  private void printSummary(List<LessonRunner.Outcome> outcomes) {
    out.println();
    out.println("| lesson | seed section | result | time |");
    out.println("|---|---|---|---:|");
    for (LessonRunner.Outcome outcome : outcomes) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %.2f s |%n",
          outcome.lesson().id(),
          ListCommand.heading(outcome.lesson()),
          outcome.status().label(),
          outcome.elapsed().toNanos() / 1e9);
    }
    long passed = outcomes.stream().filter(o -> o.status() == LessonRunner.Status.PASSED).count();
    out.printf("%n%d of %d lessons passed.%n", passed, outcomes.size());
  }
}
