package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.iomodels.NonBlockingEchoServer;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NonBlockingLessonTest {

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  /** A 500 ms idle window: long enough for the difference to stand out on a busy machine. */
  private static final Pace IDLE_500_MS = new Pace(0.5);

  /** How long one serve-then-idle run may take before it counts as hanging. */
  private static final Duration RUN_BOUND = Duration.ofSeconds(20);

  @Test
  void pollingWithoutBackOffTurnsAndBurnsFarMoreThanWithIt() throws Exception {
    // Both loops idle through the same window, side by side, so that both meet the same load: the
    // comparison holds whatever else the machine runs, not only when it is as quiet as it was for
    // one of them.
    NonBlockingLesson.IdleCost busy;
    NonBlockingLesson.IdleCost resting;
    try (ExecutorService sideBySide = Executors.newFixedThreadPool(2)) {
      Future<NonBlockingLesson.IdleCost> busyRun =
          sideBySide.submit(
              () ->
                  NonBlockingLesson.serveThenIdle(
                      new NonBlockingEchoServer(), "busy", IDLE_500_MS, NOWHERE));
      Future<NonBlockingLesson.IdleCost> restingRun =
          sideBySide.submit(
              () ->
                  NonBlockingLesson.serveThenIdle(
                      new NonBlockingEchoServer(NonBlockingLesson.BACK_OFF),
                      "rest",
                      IDLE_500_MS,
                      NOWHERE));
      busy = busyRun.get(RUN_BOUND.toNanos(), TimeUnit.NANOSECONDS);
      resting = restingRun.get(RUN_BOUND.toNanos(), TimeUnit.NANOSECONDS);
    }

    // With a 1 ms back-off the loop turns at most once per millisecond of the window: a load-proof
    // bound, since load only delays the turns.
    assertThat(resting.turns()).isLessThanOrEqualTo(resting.window().toMillis() + 10);
    // Without it the loop turns whenever it has a core: on an idle machine thousands of times more
    // often, and even a hundredth of a core for the window gives it many more turns.
    assertThat(busy.turns()).isGreaterThan(2 * resting.turns());
    // The resting loop needs some 20 microseconds of CPU per turn, 2% of a core; the busy loop
    // takes all the scheduler gives a thread that is always runnable, which stays above twice that
    // unless the machine gives each runnable thread less than a twenty-fifth of a core.
    assertThat(busy.cpu()).isGreaterThan(resting.cpu().multipliedBy(2));
  }

  @Test
  void printsTheIdleCostOfBothLoops() throws Exception {
    String output = LessonRun.run(new NonBlockingLesson(), Pace.TEST);

    assertThat(output)
        .contains("[no back-off] client 3: CLIENT 3")
        .containsPattern("\\[no back-off\\] idle for \\d+ ms: \\d+ loop turns")
        .containsPattern("\\[1 ms back-off\\] idle for \\d+ ms: \\d+ loop turns")
        .contains("the back-off cut the idle loop turns");
    assertThat(LessonRun.liveThreadNames()).doesNotContain("non-blocking-echo");
  }
}
