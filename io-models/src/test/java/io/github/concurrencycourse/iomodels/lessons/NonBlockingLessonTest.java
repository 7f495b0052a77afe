package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.iomodels.NonBlockingEchoServer;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NonBlockingLessonTest {

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  /** A 500 ms idle window: long enough for the difference to stand out on a busy machine. */
  private static final Pace IDLE_500_MS = new Pace(0.5);

  @Test
  void pollingWithoutBackOffTurnsAndBurnsFarMoreThanWithIt() throws Exception {
    NonBlockingLesson.IdleCost busy =
        NonBlockingLesson.serveThenIdle(new NonBlockingEchoServer(), "busy", IDLE_500_MS, NOWHERE);
    NonBlockingLesson.IdleCost resting =
        NonBlockingLesson.serveThenIdle(
            new NonBlockingEchoServer(NonBlockingLesson.BACK_OFF), "rest", IDLE_500_MS, NOWHERE);

    // With a 1 ms back-off the loop turns at most about once per millisecond of the window.
    assertThat(resting.turns()).isLessThanOrEqualTo(resting.window().toMillis() + 10);
    // Without it the loop turns as fast as the scheduler lets it: on an idle machine thousands of
    // times more often, on a machine shared with other builds still several times.
    assertThat(busy.turns()).isGreaterThan(2 * resting.turns());
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
