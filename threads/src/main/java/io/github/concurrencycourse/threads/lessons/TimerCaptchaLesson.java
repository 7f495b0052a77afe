package io.github.concurrencycourse.threads.lessons;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.threads.CaptchaService;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * 定时器实现20s更新验证码: a captcha code replaced every 20 seconds by a scheduled thread, checked against
 * what the reader types.
 *
 * <p>Run it with {@code ./course run threads.timer-captcha}. You will see {@code new code: 7Q2K};
 * type it (in any case, with or without spaces) and the lesson answers {@code 正确!} (right), type
 * anything else and it answers {@code 错误!} (wrong). Every 20 seconds a new code is printed and the
 * old one stops working. End the input (Ctrl-D) to finish; the lesson then closes the {@link
 * CaptchaService}, which stops its refresh thread. The seed loops forever and re-arms a new {@code
 * Timer} thread per refresh; here one scheduler thread does every refresh.
 *
 * <p>With {@code --seed N} the codes come from {@code new SplittableRandom(N)}, so a script knows
 * them in advance; without it they come from a {@link SecureRandom}.
 */
public final class TimerCaptchaLesson implements Lesson {

  private static final double SEED_REFRESH_SECONDS = 20;
  private static final Duration SHORTEST_REFRESH = Duration.ofMillis(1);

  @Override
  public String id() {
    return "threads.timer-captcha";
  }

  @Override
  public String title() {
    return "A captcha code renewed every 20 s by a scheduler";
  }

  @Override
  public SeedSection seedSection() {
    return SeedSection.TIMER;
  }

  @Override
  public boolean interactive() {
    return true;
  }

  @Override
  public void run(LessonContext context) throws IOException {
    PrintStream out = context.out();
    Duration refresh = context.pace().seconds(SEED_REFRESH_SECONDS);
    if (refresh.compareTo(SHORTEST_REFRESH) < 0) {
      refresh = SHORTEST_REFRESH;
    }
    try (CaptchaService captcha =
        CaptchaService.start(
            refresh, randomFrom(context), code -> out.println("new code: " + code))) {
      out.println("the code changes every " + refresh.toMillis() + " ms; end the input to stop");
      String line;
      while (true) {
        out.print("输入你的验证码 (enter the code): ");
        out.flush();
        line = context.in().readLine();
        if (line == null) {
          break;
        }
        out.println(captcha.check(line) ? "正确! (right)" : "错误! (wrong)");
      }
    }
    out.println();
    out.println("input ended; the refresh thread is stopped");
  }

  private static RandomGenerator randomFrom(LessonContext context) {
    int at = context.arguments().indexOf("--seed");
    if (at < 0) {
      return new SecureRandom();
    }
    if (at + 1 >= context.arguments().size()) {
      throw new IllegalArgumentException("--seed needs a number, for example --seed 42");
    }
    String value = context.arguments().get(at + 1);
    try {
      return new SplittableRandom(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seed needs a whole number, got '" + value + "'", e);
    }
  }
}
