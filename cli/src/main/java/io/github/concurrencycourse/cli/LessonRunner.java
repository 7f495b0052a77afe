package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one lesson on a thread of its own with a deadline, and reports how it went.
 *
 * <p>A lesson that outlives its deadline is interrupted; the runner then waits a short grace period
 * for it to stop. Stateless and thread-safe.
 */
final class LessonRunner {

  private static final Duration GRACE = Duration.ofSeconds(5);

  /** How a lesson run ended. */
  enum Status {
    PASSED("passed"),
    FAILED("failed"),
    TIMED_OUT("timed out");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** The result of one run: its status, its wall time and, unless it passed, why not. */
  record Outcome(Lesson lesson, Status status, Duration elapsed, Optional<Throwable> failure) {}

  private LessonRunner() {}

  /** Runs {@code lesson} with {@code context}, giving up after {@code deadline}. */
  static Outcome run(Lesson lesson, LessonContext context, Duration deadline)
      throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    Thread thread =
        Thread.ofPlatform()
            .name("lesson-" + lesson.id())
            .unstarted(
                () -> {
                  try {
                    lesson.run(context);
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    thread.start();
    boolean finished = thread.join(deadline);
    if (!finished) {
      thread.interrupt();
      thread.join(GRACE);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    context.out().flush();
    if (!finished) {
      return new Outcome(
          lesson,
          Status.TIMED_OUT,
          elapsed,
          Optional.of(new IllegalStateException("did not finish within " + deadline)));
    }
    Throwable thrown = failure.get();
    return thrown == null
        ? new Outcome(lesson, Status.PASSED, elapsed, Optional.empty())
        : new Outcome(lesson, Status.FAILED, elapsed, Optional.of(thrown));
  }
}
