package io.github.concurrencycourse.threads;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A captcha code that a background thread replaces at a fixed interval: the seed's {@code Code}
 * class, which re-arms a {@code threading.Timer} every 20 seconds.
 *
 * <p>The code is {@value #CODE_LENGTH} characters long; each character is, with equal chance, a
 * digit or an upper-case letter {@code A}–{@code Z}, as in the seed's {@code make_code}. One thread
 * of a {@link ScheduledExecutorService} replaces it at a fixed rate; a code is built completely
 * before it is published through a {@code volatile} field, so a reader never sees a half-built
 * code, and a {@link #check} that starts after a refresh has published its code sees that code.
 *
 * <p>Thread-safe: any number of threads may call {@link #check} and {@link #currentCode}
 * concurrently with the refresh. {@link #close()} stops the refresh thread and waits for it to end;
 * after that, {@link #check} and {@link #currentCode} throw {@link IllegalStateException}, so a
 * closed service never accepts a code that can no longer expire.
 *
 * <p>The random source is injectable so that tests, and lessons run with a fixed seed, see a known
 * sequence of codes. It is only ever used by one thread at a time (the creating thread for the
 * first code, then the refresh thread), so a generator that is not thread-safe, such as {@link
 * java.util.SplittableRandom}, is fine.
 *
 * <pre>{@code
 * try (CaptchaService captcha = CaptchaService.start(Duration.ofSeconds(20), new SecureRandom(),
 *     code -> log.info("new code {}", code))) {
 *   boolean ok = captcha.check(userInput);
 * }
 * }</pre>
 */
public final class CaptchaService implements AutoCloseable {

  /** The number of characters in a code. */
  public static final int CODE_LENGTH = 4;

  private static final Logger log = LoggerFactory.getLogger(CaptchaService.class);
  private static final AtomicInteger SERVICE_NUMBER = new AtomicInteger();
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final RandomGenerator random;
  private final Consumer<String> onRefresh;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean closed = new AtomicBoolean();

  @GuardedBy("refreshThreads")
  private final List<Thread> refreshThreads = new ArrayList<>();

  /** Written only by the refresh thread (and the constructor); read by anyone. */
  private volatile String code;

  private CaptchaService(RandomGenerator random, Consumer<String> onRefresh) {
    this.random = random;
    this.onRefresh = onRefresh;
    String threadName = "captcha-refresh-" + SERVICE_NUMBER.incrementAndGet();
    ThreadFactory factory =
        task -> {
          // Daemon, so a service somebody forgot to close never keeps the JVM alive.
          Thread thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(task);
          synchronized (refreshThreads) {
            refreshThreads.add(thread);
          }
          return thread;
        };
    this.scheduler = Executors.newSingleThreadScheduledExecutor(factory);
    this.code = makeCode(random);
  }

  /**
   * Creates a service with a first code and starts replacing it every {@code interval}.
   *
   * @param interval how long each code lives; positive
   * @param random the source of the codes' characters
   * @param onRefresh told each new code, the first one included, on the thread that made it; it
   *     should return quickly, and an exception it throws is logged and does not stop the refresh
   * @throws IllegalArgumentException if {@code interval} is zero or negative
   * @throws NullPointerException if any argument is null
   */
  public static CaptchaService start(
      Duration interval, RandomGenerator random, Consumer<String> onRefresh) {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(onRefresh, "onRefresh");
    if (!interval.isPositive()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    CaptchaService service = new CaptchaService(random, onRefresh);
    service.tellListener(service.code);
    long nanos = interval.toNanos();
    // The returned future is not needed: close() cancels the task by shutting the scheduler down.
    var unused =
        service.scheduler.scheduleAtFixedRate(service::refresh, nanos, nanos, TimeUnit.NANOSECONDS);
    return service;
  }

  /**
   * Creates a service like {@link #start(Duration, RandomGenerator, Consumer)} that tells nobody
   * about new codes.
   */
  public static CaptchaService start(Duration interval, RandomGenerator random) {
    return start(interval, random, newCode -> {});
  }

  /**
   * Whether {@code input} matches the current code, ignoring case and surrounding white space, as
   * the seed's {@code input().strip().upper() == self.cache} does.
   *
   * @throws NullPointerException if {@code input} is null
   * @throws IllegalStateException if the service is closed
   */
  public boolean check(String input) {
    Objects.requireNonNull(input, "input");
    return input.strip().toUpperCase(Locale.ROOT).equals(currentCode());
  }

  /**
   * The code that is valid now.
   *
   * @throws IllegalStateException if the service is closed
   */
  public String currentCode() {
    if (closed.get()) {
      throw new IllegalStateException("captcha service is closed");
    }
    return code;
  }

  /**
   * Stops the refresh and waits until the refresh thread has ended. Idempotent.
   *
   * <p>If the calling thread is interrupted while waiting, the wait is finished anyway (it is
   * short: the refresh task never blocks) and the interrupt status is restored.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scheduler.shutdownNow();
    List<Thread> threads;
    synchronized (refreshThreads) {
      threads = List.copyOf(refreshThreads);
    }
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          if (!thread.join(CLOSE_TIMEOUT)) {
            log.warn("refresh thread {} did not end within {}", thread.getName(), CLOSE_TIMEOUT);
          }
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void refresh() {
    String next = makeCode(random);
    code = next;
    tellListener(next);
  }

  private void tellListener(String newCode) {
    try {
      onRefresh.accept(newCode);
    } catch (RuntimeException e) {
      // A failing listener must not cancel the schedule (a throwing periodic task is never re-run).
      log.warn("captcha refresh listener failed", e);
    }
  }

  /** The seed's {@code make_code}: each character is a digit or a letter, chosen at random. */
  private static String makeCode(RandomGenerator random) {
    char[] chars = new char[CODE_LENGTH];
    for (int i = 0; i < CODE_LENGTH; i++) {
      chars[i] =
          random.nextBoolean()
              ? (char) ('0' + random.nextInt(10))
              : (char) ('A' + random.nextInt(26));
    }
    return new String(chars);
  }
}
