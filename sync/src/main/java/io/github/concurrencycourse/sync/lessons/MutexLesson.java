package io.github.concurrencycourse.sync.lessons;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * 线程的互斥锁: one hundred threads each do the seed's {@code temp = n; sleep(0.1); n = temp - 1} on a
 * shared {@code n = 100}.
 *
 * <p>Run it with {@code ./course run sync.mutex}. You will see four lines, from broken to fixed:
 *
 * <ul>
 *   <li>{@code unsafe}: no lock. Nearly every thread reads {@code n} before any has written it
 *       back, so updates are lost and {@code n} ends far above 0 (typically 99).
 *   <li>{@code synchronized}: the method is a critical section; {@code n} ends at exactly 0. It
 *       takes 100 windows, because the threads now run the window one after another.
 *   <li>{@code ReentrantLock}: {@code lock(); try { ... } finally { unlock(); }}, the plain form of
 *       the seed's {@code with mutex:} (its try-with-resources form is {@code sync.with-lock});
 *       exactly 0.
 *   <li>{@code AtomicInteger}: lock-free; a thread reads, sleeps, and writes back with {@code
 *       compareAndSet}, retrying if another thread changed {@code n} meanwhile; exactly 0, and the
 *       lesson prints how many times the threads had to retry.
 * </ul>
 *
 * <p>The threads start together behind a latch, so the unsafe run loses updates on every run, not
 * only when the scheduler happens to interleave them.
 */
public final class MutexLesson extends AbstractLesson {

  /** The seed's {@code n = 100} and its one hundred threads. */
  public static final int THREADS = 100;

  private static final double SEED_WINDOW_SECONDS = 0.1;

  /** One way of doing the seed's read, sleep, write on a shared {@code n}. */
  public interface Countdown {
    /** The form's name, as the lesson prints it. */
    String name();

    /** Takes one from {@code n}, sleeping a window between reading it and writing it back. */
    void decrement(Pace pace) throws InterruptedException;

    /** The value of {@code n} now. */
    int value();
  }

  /** No lock: the seed without its mutex. Broken on purpose. */
  public static final class Unsafe implements Countdown {
    // Volatile so that the lost updates come only from the interleaving, not from stale caches.
    private volatile int n = THREADS;

    @Override
    public String name() {
      return "unsafe (no lock)";
    }

    @Override
    public void decrement(Pace pace) throws InterruptedException {
      int temp = n;
      pace.sleepSeconds(SEED_WINDOW_SECONDS);
      n = temp - 1;
    }

    @Override
    public int value() {
      return n;
    }
  }

  /** The read-sleep-write in a {@code synchronized} method. */
  public static final class Synchronized implements Countdown {
    @GuardedBy("this")
    private int n = THREADS;

    @Override
    public String name() {
      return "synchronized";
    }

    @Override
    public synchronized void decrement(Pace pace) throws InterruptedException {
      int temp = n;
      pace.sleepSeconds(SEED_WINDOW_SECONDS);
      n = temp - 1;
    }

    @Override
    public synchronized int value() {
      return n;
    }
  }

  /** The read-sleep-write under a {@link ReentrantLock} in try/finally: {@code with mutex:}. */
  public static final class Locked implements Countdown {
    private final ReentrantLock mutex = new ReentrantLock();

    @GuardedBy("mutex")
    private int n = THREADS;

    @Override
    public String name() {
      return "ReentrantLock try/finally";
    }

    @Override
    public void decrement(Pace pace) throws InterruptedException {
      mutex.lock();
      try {
        int temp = n;
        pace.sleepSeconds(SEED_WINDOW_SECONDS);
        n = temp - 1;
      } finally {
        mutex.unlock();
      }
    }

    @Override
    public int value() {
      mutex.lock();
      try {
        return n;
      } finally {
        mutex.unlock();
      }
    }
  }

  /** Lock-free: write back with compare-and-set, and start again if {@code n} moved meanwhile. */
  public static final class Atomic implements Countdown {
    private final AtomicInteger n = new AtomicInteger(THREADS);
    private final AtomicLong retries = new AtomicLong();

    @Override
    public String name() {
      return "AtomicInteger compareAndSet";
    }

    @Override
    public void decrement(Pace pace) throws InterruptedException {
      while (true) {
        int temp = n.get();
        pace.sleepSeconds(SEED_WINDOW_SECONDS);
        if (n.compareAndSet(temp, temp - 1)) {
          return;
        }
        retries.incrementAndGet();
      }
    }

    @Override
    public int value() {
      return n.get();
    }

    /** How many writes found {@code n} changed and had to start again. */
    public long retries() {
      return retries.get();
    }
  }

  public MutexLesson() {
    super(
        "sync.mutex",
        "100 threads decrement n: lost updates, then synchronized, ReentrantLock and atomic",
        SeedSection.THREAD_MUTEX);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    out.println(THREADS + " threads each do: temp = n; sleep; n = temp - 1   (n starts at 100)");
    for (Countdown form : List.of(new Unsafe(), new Synchronized(), new Locked(), new Atomic())) {
      long start = System.nanoTime();
      int n = runSeedTask(form, context.pace());
      long millis = (System.nanoTime() - start) / 1_000_000;
      String note = "";
      if (form instanceof Unsafe) {
        note = "   <- " + n + " of 100 updates lost";
      } else if (form instanceof Atomic atomic) {
        note = "   (" + atomic.retries() + " compareAndSet retries)";
      }
      out.printf(Locale.ROOT, "%-28s main %3d   %5d ms%s%n", form.name(), n, millis, note);
    }
  }

  /**
   * Starts {@value #THREADS} threads that each call {@link Countdown#decrement} once, releases them
   * together, waits for all of them and returns the final {@code n}.
   *
   * @throws InterruptedException if interrupted while waiting; the threads are stopped first
   */
  public static int runSeedTask(Countdown form, Pace pace) throws InterruptedException {
    CountDownLatch startTogether = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>(THREADS);
    try {
      for (int i = 0; i < THREADS; i++) {
        threads.add(
            Thread.ofPlatform()
                .name("mutex-" + i)
                .start(
                    () -> {
                      try {
                        startTogether.await();
                        form.decrement(pace);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      startTogether.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      return form.value();
    } finally {
      LessonThreads.stopAll(threads);
    }
  }
}
