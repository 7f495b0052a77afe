package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.threads.CaptchaService;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TimerCaptchaLessonTest {

  @Test
  void answersEachScriptedLineAndStopsItsThreadAtTheEndOfInput() throws Exception {
    String code;
    try (CaptchaService sameSeed =
        CaptchaService.start(Duration.ofHours(1), new SplittableRandom(42))) {
      code = sameSeed.currentCode();
    }
    String input = "  " + code.toLowerCase(Locale.ROOT) + "  \nWRONG\n" + code + "\n";

    // At the seed's pace the code lives 20 s, far longer than the three checks take.
    String output =
        LessonRun.run(
            new TimerCaptchaLesson(),
            Pace.SEED,
            context -> context.withArguments(List.of("--seed", "42")).withInput(input));

    assertThat(output)
        .contains("-- threading.Timer is a one-shot")
        .contains("after the scheduler stopped, the cancelled f had run: false")
        .contains("new code: " + code);
    assertThat(
            output.lines().filter(line -> line.contains("!")).map(TimerCaptchaLessonTest::verdict))
        .containsExactly("正确!", "错误!", "正确!");
    assertThat(output)
        .endsWith("input ended; the refresh thread is stopped" + System.lineSeparator());
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("captcha-refresh-"));
  }

  @Test
  void aOneShotTimerRunsOnceAndACancelledOneNever() throws Exception {
    LessonRun run = new LessonRun(Pace.TEST);

    TimerCaptchaLesson.OneShots oneShots =
        TimerCaptchaLesson.oneShotTimers(run.context().out(), Pace.TEST);

    assertThat(oneShots.firedOn()).isEqualTo("timer-1");
    // Cancelled 400 ms before it was due: cancel(false) succeeds, so the task can never run.
    assertThat(oneShots.cancelled()).isTrue();
    assertThat(oneShots.cancelledRan()).isFalse();
    assertThat(run.lines())
        .containsSubsequence(
            "t = Timer(1, f); t.start()  ->  schedule(f, 20 ms)",
            "t = Timer(20, f); t.start(); t.cancel()  ->  cancel(false) = true, isCancelled() = true",
            "after the scheduler stopped, the cancelled f had run: false")
        .anyMatch(l -> l.matches("f ran once, on timer-1, \\d+ ms later"));
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("timer-"));
  }

  @Test
  void aMalformedSeedIsRejectedBeforeAnyThreadStarts() {
    assertThatThrownBy(
            () ->
                LessonRun.run(
                    new TimerCaptchaLesson(),
                    Pace.TEST,
                    context -> context.withArguments(List.of("--seed", "forty-two"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forty-two");
    assertThat(LessonRun.liveThreadNames())
        .noneMatch(name -> name.startsWith("captcha-refresh-") || name.startsWith("timer-"));
  }

  private static String verdict(String line) {
    return line.contains("正确!") ? "正确!" : line.contains("错误!") ? "错误!" : line;
  }
}
