package io.github.concurrencycourse.threads.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.threads.CaptchaService;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *
 * <p>Before the captcha, the lesson shows what the seed's {@code Timer} is on its own: a one-shot.
 * {@code Timer(1, f).start()} runs {@code f} once, a second later ({@code
 * ScheduledExecutorService.schedule} returns a {@link ScheduledFuture}); {@code t.cancel()} before
 * that moment means it never runs ({@code ScheduledFuture.cancel(false)} returns {@code true}). The
 * seed's captcha re-arms a new one-shot after every refresh; {@link CaptchaService} schedules at a
 * fixed rate instead.
 */
public final class TimerCaptchaLesson extends AbstractLesson {

  private static final double SEED_REFRESH_SECONDS = 20;
  private static final Duration SHORTEST_REFRESH = Duration.ofMillis(1);

  public TimerCaptchaLesson() {
    super(
        "threads.timer-captcha",
        "A captcha code renewed every 20 s by a scheduler",
        SeedSection.TIMER);
  }

  @Override
  public boolean interactive() {
    return true;
  }

  /**
   * What the one-shot timers did.
   *
   * @param firedOn the thread on which the timer that was left alone ran its task
   * @param cancelled what {@code cancel(false)} returned for the other one
   * @param cancelledRan whether the cancelled timer's task ran all the same
   */
  record OneShots(String firedOn, boolean cancelled, boolean cancelledRan) {}

  @Override
  public void run(LessonContext context)
      throws IOException, InterruptedException, ExecutionException {
    PrintStream out = context.out();
    RandomGenerator random = randomFrom(context);
    out.println("-- threading.Timer is a one-shot: schedule() it, or cancel() it before it fires");
    oneShotTimers(out, context.pace());
    out.println("-- the captcha, renewed by a scheduler");
    Duration refresh = atLeastShortest(context.pace().seconds(SEED_REFRESH_SECONDS));
    try (CaptchaService captcha =
        CaptchaService.start(refresh, random, code -> out.println("new code: " + code))) {
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

  /**
   * Python's {@code Timer(1, f).start()} and {@code Timer(20, f).start(); t.cancel()}, as {@code
   * schedule} on one scheduler thread and {@code cancel(false)}. Waits for the first to fire; stops
   * the scheduler before it returns.
   */
  static OneShots oneShotTimers(PrintStream out, Pace pace)
      throws InterruptedException, ExecutionException {
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("timer-", 1).factory());
    timers.setRemoveOnCancelPolicy(true);
    AtomicBoolean cancelledRan = new AtomicBoolean();
    String firedOn;
    boolean cancelled;
    try {
      Duration delay = atLeastShortest(pace.seconds(1));
      long start = System.nanoTime();
      ScheduledFuture<String> once =
          timers.schedule(
              () -> Thread.currentThread().getName(), delay.toNanos(), TimeUnit.NANOSECONDS);
      out.println("t = Timer(1, f); t.start()  ->  schedule(f, " + delay.toMillis() + " ms)");
      firedOn = once.get();
      out.printf(
          "f ran once, on %s, %d ms later%n",
          firedOn, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

      Duration never = atLeastShortest(pace.seconds(SEED_REFRESH_SECONDS));
      ScheduledFuture<?> doomed =
          timers.schedule(() -> cancelledRan.set(true), never.toNanos(), TimeUnit.NANOSECONDS);
      cancelled = doomed.cancel(false);
      out.println(
          "t = Timer(20, f); t.start(); t.cancel()  ->  cancel(false) = "
              + cancelled
              + ", isCancelled() = "
              + doomed.isCancelled());
    } finally {
      timers.shutdown();
      if (!timers.awaitTermination(LessonThreads.GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        timers.shutdownNow();
      }
    }
    out.println("after the scheduler stopped, the cancelled f had run: " + cancelledRan.get());
    return new OneShots(firedOn, cancelled, cancelledRan.get());
  }

  private static Duration atLeastShortest(Duration delay) {
    return delay.compareTo(SHORTEST_REFRESH) < 0 ? SHORTEST_REFRESH : delay;
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
