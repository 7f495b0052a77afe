package io.github.concurrencycourse.sync.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * 递归锁: a reentrant lock may be taken again by the thread that holds it; it counts the holds and is
 * free only when the count is back to zero.
 *
 * <p>Run it with {@code ./course run sync.rlock}. You will see the seed's ten threads run {@code
 * f1} and {@code f2} on {@code mutexA = mutexB = ReentrantLock}, each line with the lock's hold
 * count: 1 after the first acquire, 2 after the nested one, back to 1 and then 0 as it is released.
 * No two threads are ever inside at once. Then the same nesting on a lock that is not reentrant (a
 * {@link Semaphore} with one permit, which like Python's {@code Lock} has no owner): the second
 * acquire waits for a permit that only the waiting thread itself could give back. The lesson asks
 * with a timeout, so it shows the self-deadlock and still ends.
 */
public final class RLockLesson extends AbstractLesson {

  /** The seed's ten threads. */
  public static final int THREADS = 10;

  private static final double SEED_SLEEP_SECONDS = 3;
  private static final Duration SHORTEST_PATIENCE = Duration.ofMillis(10);

  /** What a run on the reentrant lock observed. */
  record Observation(int deepestHold, int mostInside, int finished) {}

  public RLockLesson() {
    super(
        "sync.rlock",
        "A reentrant lock counts its holds; a non-reentrant one deadlocks on itself",
        SeedSection.RECURSIVE_LOCK);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Observation seen = runSeedThreads(out, context.pace());
    out.println(
        "all "
            + seen.finished()
            + " threads finished; deepest hold count "
            + seen.deepestHold()
            + "; at most "
            + seen.mostInside()
            + " thread inside at a time");
    out.println("-- the same nesting on a lock that is not reentrant --");
    boolean secondAcquire = nestOnNonReentrantLock(out, context.pace());
    out.println(
        secondAcquire
            ? "the second acquire succeeded"
            : "the second acquire never succeeds: the thread waits for itself (a self-deadlock)");
  }

  /** The seed's {@code f1} and {@code f2} on one reentrant lock known by two names. */
  static final class SeedSections {
    private final ReentrantLock mutexA = new ReentrantLock();
    private final ReentrantLock mutexB = mutexA;
    private final AtomicInteger deepestHold = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final PrintStream out;
    private final Pace pace;

    SeedSections(PrintStream out, Pace pace) {
      this.out = out;
      this.pace = pace;
    }

    void f1(String name) throws InterruptedException {
      nested("f1", name, mutexA, "A", mutexB, "B", 0);
    }

    void f2(String name) throws InterruptedException {
      nested("f2", name, mutexB, "B", mutexA, "A", SEED_SLEEP_SECONDS);
    }

    private void nested(
        String function,
        String name,
        ReentrantLock outer,
        String outerName,
        ReentrantLock inner,
        String innerName,
        double seedSleepSeconds)
        throws InterruptedException {
      outer.lockInterruptibly();
      try {
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
          say(function, name, "拿到了" + outerName + "锁", outer);
          pace.sleepSeconds(seedSleepSeconds);
          inner.lockInterruptibly();
          try {
            deepestHold.accumulateAndGet(inner.getHoldCount(), Math::max);
            say(function, name, "拿到" + innerName + "锁", inner);
          } finally {
            inner.unlock();
          }
          say(function, name, "释放" + innerName + "锁", inner);
        } finally {
          inside.decrementAndGet();
        }
      } finally {
        outer.unlock();
      }
      say(function, name, "释放" + outerName + "锁", outer);
    }

    private void say(String function, String name, String what, ReentrantLock lock) {
      out.println(function + " 中" + name + what + " (hold count " + lock.getHoldCount() + ")");
    }
  }

  /** Runs the seed's ten threads on {@link SeedSections} and reports what they saw. */
  static Observation runSeedThreads(PrintStream out, Pace pace) throws InterruptedException {
    SeedSections sections = new SeedSections(out, pace);
    AtomicInteger finished = new AtomicInteger();
    List<Thread> threads = new ArrayList<>(THREADS);
    try {
      for (int i = 1; i <= THREADS; i++) {
        String name = "MyThread-" + i;
        threads.add(
            Thread.ofPlatform()
                .name(name)
                .start(
                    () -> {
                      try {
                        sections.f1(name);
                        sections.f2(name);
                        finished.incrementAndGet();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
    } finally {
      LessonThreads.stopAll(threads);
    }
    return new Observation(sections.deepestHold.get(), sections.mostInside.get(), finished.get());
  }

  /**
   * Takes a one-permit semaphore, then tries to take it again, with a timeout instead of for ever.
   *
   * @return whether the second acquire succeeded, which it never does
   */
  static boolean nestOnNonReentrantLock(PrintStream out, Pace pace) throws InterruptedException {
    Semaphore mutex = new Semaphore(1);
    Duration patience = pace.seconds(1);
    if (patience.compareTo(SHORTEST_PATIENCE) < 0) {
      patience = SHORTEST_PATIENCE;
    }
    mutex.acquire();
    try {
      out.println("acquired once; acquiring again, giving up after " + patience.toMillis() + " ms");
      boolean again = mutex.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS);
      if (again) {
        mutex.release();
      }
      return again;
    } finally {
      mutex.release();
    }
  }
}
