package io.github.concurrencycourse.sync.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.sync.DeadlockDetector;
import io.github.concurrencycourse.sync.DeadlockReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * 死锁: the seed's ten {@code MyThread}s run {@code f1} (lock A, then B) and {@code f2} (lock B,
 * sleep, then A). Two of them end up each holding the lock the other wants, for ever.
 *
 * <p>Run it with {@code ./course run sync.deadlock}. You will see the threads take their locks
 * until the output stops: a deadlock. A {@link DeadlockDetector} finds it and prints the cycle,
 * which thread holds which lock and wants which, and the threads stuck behind the cycle. The lesson
 * then interrupts every thread (the locks are taken with {@code lockInterruptibly}, so a deadlocked
 * thread can be woken; a {@code synchronized} block could not be) and each lets go of its locks.
 * Three cures follow, each running the same ten threads to the end:
 *
 * <ol>
 *   <li>one global lock order: {@code f2} takes A before B too, so no cycle can form;
 *   <li>{@code tryLock} with a timeout: a thread that cannot get its second lock gives back its
 *       first, backs off for a random time and tries again;
 *   <li>the seed's own cure, one reentrant lock under both names ({@code mutexA = mutexB =
 *       RLock()}): it works because it turns every section into one critical section.
 * </ol>
 *
 * <p>The threads start together behind a latch. If a round happens to finish without a deadlock
 * (the window is the sleep in {@code f2}), the lesson says so and runs another, up to {@value
 * #MAX_ROUNDS} rounds.
 */
public final class DeadlockLesson extends AbstractLesson {

  /** The seed's ten threads. */
  public static final int THREADS = 10;

  static final int MAX_ROUNDS = 5;

  private static final double SEED_WINDOW_SECONDS = 0.1;
  private static final Duration CHECK_EVERY = Duration.ofMillis(50);

  /** How long a round may take, in seed seconds: a cure takes a few at the seed's pace. */
  private static final double ROUND_LIMIT_SEED_SECONDS = 30;

  /**
   * The shortest round limit at any pace: a cure ends in well under a second at test paces, also on
   * a loaded machine, so a cure that deadlocks fails in seconds rather than hangs.
   */
  private static final Duration SHORTEST_ROUND_LIMIT = Duration.ofSeconds(5);

  /** The two sections of the seed's {@code MyThread}, each taking two locks. */
  interface TwoSections {
    void f1(String name) throws InterruptedException;

    void f2(String name) throws InterruptedException;
  }

  /** The seed: f1 takes A then B, f2 takes B then A. Deadlocks. */
  static final class OppositeOrder implements TwoSections {
    private final ReentrantLock mutexA = new ReentrantLock();
    private final ReentrantLock mutexB = new ReentrantLock();
    private final PrintStream out;
    private final Pace pace;

    OppositeOrder(PrintStream out, Pace pace) {
      this.out = out;
      this.pace = pace;
    }

    @Override
    public void f1(String name) throws InterruptedException {
      mutexA.lockInterruptibly();
      try {
        out.println(name + "拿到了A锁");
        mutexB.lockInterruptibly();
        try {
          out.println(name + "拿到B锁");
        } finally {
          mutexB.unlock();
        }
      } finally {
        mutexA.unlock();
      }
    }

    @Override
    public void f2(String name) throws InterruptedException {
      mutexB.lockInterruptibly();
      try {
        out.println(name + "拿到了B锁");
        pace.sleepSeconds(SEED_WINDOW_SECONDS);
        mutexA.lockInterruptibly();
        try {
          out.println(name + "拿到A锁");
        } finally {
          mutexA.unlock();
        }
      } finally {
        mutexB.unlock();
      }
    }
  }

  /** Cure 1: both sections take A before B. */
  static final class GlobalOrder implements TwoSections {
    private final ReentrantLock mutexA = new ReentrantLock();
    private final ReentrantLock mutexB = new ReentrantLock();
    private final Pace pace;

    GlobalOrder(Pace pace) {
      this.pace = pace;
    }

    @Override
    public void f1(String name) throws InterruptedException {
      bothInOrder(false);
    }

    @Override
    public void f2(String name) throws InterruptedException {
      bothInOrder(true);
    }

    private void bothInOrder(boolean sleepInside) throws InterruptedException {
      mutexA.lockInterruptibly();
      try {
        mutexB.lockInterruptibly();
        try {
          if (sleepInside) {
            pace.sleepSeconds(SEED_WINDOW_SECONDS);
          }
        } finally {
          mutexB.unlock();
        }
      } finally {
        mutexA.unlock();
      }
    }
  }

  /**
   * A cure that keeps the seed's orders, f1 taking A then B and f2 taking B, sleeping, then A, and
   * changes only how a section takes its two locks.
   */
  abstract static class SeedOrders implements TwoSections {
    final Pace pace;
    private final ReentrantLock mutexA;
    private final ReentrantLock mutexB;

    SeedOrders(ReentrantLock mutexA, ReentrantLock mutexB, Pace pace) {
      this.mutexA = mutexA;
      this.mutexB = mutexB;
      this.pace = pace;
    }

    @Override
    public final void f1(String name) throws InterruptedException {
      both(mutexA, mutexB, false);
    }

    @Override
    public final void f2(String name) throws InterruptedException {
      both(mutexB, mutexA, true);
    }

    /** Takes {@code first}, sleeps if asked, takes {@code second}, then lets both go. */
    abstract void both(ReentrantLock first, ReentrantLock second, boolean sleepInside)
        throws InterruptedException;
  }

  /** Cure 2: the seed's opposite orders, but the second lock is only tried, with a timeout. */
  static final class TryLockWithBackOff extends SeedOrders {
    private final AtomicInteger backOffs = new AtomicInteger();

    TryLockWithBackOff(Pace pace) {
      super(new ReentrantLock(), new ReentrantLock(), pace);
    }

    int backOffs() {
      return backOffs.get();
    }

    @Override
    void both(ReentrantLock first, ReentrantLock second, boolean sleepInside)
        throws InterruptedException {
      long patience = pace.seconds(SEED_WINDOW_SECONDS).toNanos();
      while (true) {
        first.lockInterruptibly();
        try {
          if (sleepInside) {
            pace.sleepSeconds(SEED_WINDOW_SECONDS);
          }
          if (second.tryLock(patience, TimeUnit.NANOSECONDS)) {
            second.unlock();
            return;
          }
        } finally {
          first.unlock();
        }
        backOffs.incrementAndGet();
        // A random pause, so that two threads that backed off together do not collide again.
        pace.sleepSeconds(ThreadLocalRandom.current().nextDouble(SEED_WINDOW_SECONDS));
      }
    }
  }

  /** Cure 3, the seed's: one reentrant lock known by both names. */
  static final class OneReentrantLock extends SeedOrders {
    private final AtomicInteger deepestHold = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();

    OneReentrantLock(Pace pace) {
      this(new ReentrantLock(), pace);
    }

    /** The seed's {@code mutexA = mutexB = RLock()}. */
    private OneReentrantLock(ReentrantLock rlock, Pace pace) {
      super(rlock, rlock, pace);
    }

    int deepestHold() {
      return deepestHold.get();
    }

    /** The most threads that were inside a section at the same time. */
    int mostInside() {
      return mostInside.get();
    }

    @Override
    void both(ReentrantLock outer, ReentrantLock inner, boolean sleepInside)
        throws InterruptedException {
      outer.lockInterruptibly();
      try {
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        if (sleepInside) {
          pace.sleepSeconds(SEED_WINDOW_SECONDS);
        }
        inner.lockInterruptibly();
        try {
          deepestHold.accumulateAndGet(inner.getHoldCount(), Math::max);
        } finally {
          inner.unlock();
        }
      } finally {
        inside.decrementAndGet();
        outer.unlock();
      }
    }
  }

  public DeadlockLesson() {
    super(
        "sync.deadlock",
        "Two locks taken in opposite orders deadlock; detect it, end it, and three cures",
        SeedSection.DEADLOCK);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Pace pace = context.pace();
    out.println("-- the seed: f1 takes A then B, f2 takes B then A --");
    Optional<DeadlockReport> report = showDeadlock(out, pace, new DeadlockDetector());
    if (report.isEmpty()) {
      out.println("no deadlock in " + MAX_ROUNDS + " rounds; try a slower --pace");
    }

    Duration limit = roundLimit(pace);
    out.println("-- cure 1: one global order, A before B everywhere --");
    runToTheEnd(new GlobalOrder(pace), limit);
    out.println("all " + THREADS + " threads finished");

    out.println("-- cure 2: tryLock with a timeout, back off at random, retry --");
    TryLockWithBackOff backOff = new TryLockWithBackOff(pace);
    runToTheEnd(backOff, limit);
    out.println("all " + THREADS + " threads finished, after " + backOff.backOffs() + " back-offs");

    out.println("-- cure 3, the seed's: mutexA = mutexB = one reentrant lock --");
    OneReentrantLock oneLock = new OneReentrantLock(pace);
    runToTheEnd(oneLock, limit);
    out.println(
        "all "
            + THREADS
            + " threads finished; the inner acquire reached hold count "
            + oneLock.deepestHold()
            + ", and at most "
            + oneLock.mostInside()
            + " thread was inside f1 or f2 at a time");
  }

  /**
   * Runs the seed's ten threads on two locks taken in opposite orders until they deadlock, prints
   * the detector's report, then interrupts the threads and waits for them to end.
   *
   * @return the report, or empty if {@value #MAX_ROUNDS} rounds all finished without a deadlock
   */
  static Optional<DeadlockReport> showDeadlock(
      PrintStream out, Pace pace, DeadlockDetector detector) throws InterruptedException {
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      List<Thread> threads = start(new OppositeOrder(out, pace), out);
      try {
        Optional<DeadlockReport> report = awaitDeadlockAmong(threads, detector, roundLimit(pace));
        if (report.isPresent()) {
          out.println("deadlock! the detector found " + report.get().describe());
          out.println("interrupting the threads so that they let go of their locks");
          LessonThreads.stopAll(threads);
          out.println("all " + threads.size() + " threads ended");
          return report;
        }
        out.println("round " + round + ": every thread got through this time; again");
      } finally {
        LessonThreads.stopAll(threads);
      }
    }
    return Optional.empty();
  }

  /** How long a round may take at {@code pace} before the lesson gives up on it. */
  static Duration roundLimit(Pace pace) {
    Duration scaled = pace.seconds(ROUND_LIMIT_SEED_SECONDS);
    return scaled.compareTo(SHORTEST_ROUND_LIMIT) > 0 ? scaled : SHORTEST_ROUND_LIMIT;
  }

  private static Optional<DeadlockReport> awaitDeadlockAmong(
      List<Thread> threads, DeadlockDetector detector, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (threads.stream().anyMatch(Thread::isAlive)) {
      Optional<DeadlockReport> report =
          detector
              .awaitDeadlock(CHECK_EVERY)
              .filter(found -> threads.stream().anyMatch(found::involves));
      if (report.isPresent()) {
        return report;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("neither a deadlock nor the end within " + limit);
      }
    }
    return Optional.empty();
  }

  /**
   * Runs the ten threads on {@code sections} and waits for all of them, at most {@code limit}.
   *
   * @throws IllegalStateException if they do not finish within {@code limit}, which would mean a
   *     deadlock or a livelock
   */
  static void runToTheEnd(TwoSections sections, Duration limit) throws InterruptedException {
    List<Thread> threads = start(sections, null);
    try {
      long deadline = System.nanoTime() + limit.toNanos();
      for (Thread thread : threads) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
          throw new IllegalStateException(
              thread.getName()
                  + " did not finish with "
                  + sections.getClass().getSimpleName()
                  + " within "
                  + limit);
        }
      }
    } finally {
      LessonThreads.stopAll(threads);
    }
  }

  /** Starts the seed's threads behind a start latch; {@code out} hears who was interrupted. */
  private static List<Thread> start(TwoSections sections, PrintStream out) {
    CountDownLatch startTogether = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>(THREADS);
    for (int i = 1; i <= THREADS; i++) {
      String name = "MyThread-" + i;
      threads.add(
          Thread.ofPlatform()
              .name(name)
              .start(
                  () -> {
                    try {
                      startTogether.await();
                      sections.f1(name);
                      sections.f2(name);
                    } catch (InterruptedException e) {
                      if (out != null) {
                        out.println(name + " interrupted: its locks are released");
                      }
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    startTogether.countDown();
    return threads;
  }
}
