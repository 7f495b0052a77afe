package io.github.concurrencycourse.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CaptchaServiceTest {

  private static final Duration NEVER_DURING_THE_TEST = Duration.ofHours(1);

  @Test
  void codesHaveFourDigitsOrCapitalLetters() {
    try (CaptchaService captcha =
        CaptchaService.start(Duration.ofMillis(1), new SplittableRandom(1))) {
      for (int i = 0; i < 200; i++) {
        assertThat(captcha.currentCode()).matches("[0-9A-Z]{4}");
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameCodes() throws InterruptedException {
    assertThat(firstCodes(42, 3)).isEqualTo(firstCodes(42, 3)).doesNotHaveDuplicates();
    assertThat(firstCodes(42, 3)).isNotEqualTo(firstCodes(43, 3));
  }

  @Test
  void checkIgnoresCaseAndSurroundingSpaces() {
    try (CaptchaService captcha =
        CaptchaService.start(NEVER_DURING_THE_TEST, new SplittableRandom(7))) {
      String code = captcha.currentCode();

      assertThat(captcha.check(code)).isTrue();
      assertThat(captcha.check("  " + code.toLowerCase(Locale.ROOT) + "\t")).isTrue();
      assertThat(captcha.check(code + "X")).isFalse();
      assertThat(captcha.check(code.substring(1))).isFalse();
      assertThat(captcha.check("")).isFalse();
      assertThatThrownBy(() -> captcha.check(null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void aRefreshReplacesTheCodeAndTheOldOneIsRejected() throws InterruptedException {
    BlockingQueue<String> published = new LinkedBlockingQueue<>();
    try (CaptchaService captcha =
        CaptchaService.start(Duration.ofMillis(50), new SplittableRandom(7), published::add)) {
      String first = published.take();
      String second = published.poll(10, TimeUnit.SECONDS);

      assertThat(second).isNotNull().isNotEqualTo(first);
      // Once a later code is published, the first can never be valid again.
      assertThat(captcha.check(first)).isFalse();
    }
  }

  @Test
  void closeStopsTheRefreshThreadAndTheService() {
    CaptchaService captcha = CaptchaService.start(Duration.ofMillis(5), new SplittableRandom(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> refreshThreads().size() == 1);

    captcha.close();
    captcha.close();

    assertThat(refreshThreads()).isEmpty();
    assertThatThrownBy(captcha::currentCode).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> captcha.check("ABCD")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anInterruptedCloseStillWaitsForTheRefreshThreadAndKeepsTheInterrupt() {
    CaptchaService captcha = CaptchaService.start(Duration.ofMillis(5), new SplittableRandom(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> refreshThreads().size() == 1);

    Thread.currentThread().interrupt();
    captcha.close();
    boolean interruptKept = Thread.interrupted();

    assertThat(interruptKept).isTrue();
    assertThat(refreshThreads()).isEmpty();
  }

  @Test
  void rejectsAnIntervalThatIsNotPositive() {
    assertThatThrownBy(() -> CaptchaService.start(Duration.ZERO, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
    assertThat(refreshThreads()).isEmpty();
  }

  @Test
  void aFailingListenerDoesNotStopTheRefresh() {
    AtomicInteger calls = new AtomicInteger();
    try (CaptchaService captcha =
        CaptchaService.start(
            Duration.ofMillis(5),
            new SplittableRandom(1),
            code -> {
              calls.incrementAndGet();
              throw new IllegalStateException("listener failure on purpose");
            })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 3);
      assertThat(captcha.currentCode()).matches("[0-9A-Z]{4}");
    }
  }

  private static List<String> firstCodes(long seed, int count) throws InterruptedException {
    BlockingQueue<String> published = new LinkedBlockingQueue<>();
    CaptchaService captcha =
        CaptchaService.start(Duration.ofMillis(1), new SplittableRandom(seed), published::add);
    try {
      String[] codes = new String[count];
      for (int i = 0; i < count; i++) {
        codes[i] = published.take();
      }
      return List.of(codes);
    } finally {
      captcha.close();
    }
  }

  private static List<Thread> refreshThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("captcha-refresh-") && t.isAlive())
        .toList();
  }
}
