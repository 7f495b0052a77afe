package io.github.concurrencycourse.sync.lessons;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Beyond the seed: a ticket board that many threads read and one thread writes, with a read-write
 * lock and with a {@link StampedLock}'s optimistic read.
 *
 * <p>The board holds the seed's three tickets as two numbers, {@code remaining} and {@code sold};
 * their sum is always 3. The writer sells a ticket and refunds it, over and over, and each change
 * takes a moment between its two numbers. Four readers read the board and check the sum.
 *
 * <p>Run it with {@code ./course run sync.read-write}. You will see three lines:
 *
 * <ul>
 *   <li>{@code no lock}: readers catch the board half-written and see a sum of 2 or 4;
 *   <li>{@code ReentrantReadWriteLock}: never a wrong sum; several readers were inside at once,
 *       because read locks are shared, and none while the writer was, because the write lock is
 *       exclusive;
 *   <li>{@code StampedLock}: never a wrong sum; most reads take no lock at all: they read, then
 *       {@code validate} the stamp, and only when a write came in between do they read again under
 *       the read lock. An optimistic reader can be inside while the writer writes (the lesson
 *       counts them); {@code validate} is what makes it throw away what it read.
 * </ul>
 */
public final class ReadWriteLesson extends AbstractLesson {

  /** The seed's three tickets. */
  public static final int TICKETS = 3;

  static final int READERS = 4;
  static final int WRITES = 20;

  private static final double SEED_WRITE_GAP_SECONDS = 0.1;
  private static final double SEED_READ_GAP_SECONDS = 0.05;
  private static final double SEED_READ_PAUSE_SECONDS = 0.01;
  private static final double SEED_WRITER_PAUSE_SECONDS = 0.5;

  /** A view of the board. */
  record Snapshot(int remaining, int sold) {
    boolean consistent() {
      return remaining + sold == TICKETS;
    }
  }

  /** A board and the way it is guarded. */
  abstract static class Board {
    // Volatile so that what the unguarded board shows comes from interleaving, not stale caches.
    volatile int remaining = TICKETS;
    volatile int sold;
    final AtomicInteger readersInside = new AtomicInteger();
    final AtomicInteger mostReadersInside = new AtomicInteger();
    final AtomicInteger overlapsWithWrites = new AtomicInteger();
    private volatile boolean writerInside;

    abstract String name();

    abstract Snapshot read(Pace pace) throws InterruptedException;

    abstract void sellThenRefund(Pace pace) throws InterruptedException;

    /** Reads both numbers with a gap between them, counting the readers inside. */
    final Snapshot readBoth(Pace pace) throws InterruptedException {
      mostReadersInside.accumulateAndGet(readersInside.incrementAndGet(), Math::max);
      try {
        if (writerInside) {
          overlapsWithWrites.incrementAndGet();
        }
        int r = remaining;
        pace.sleepSeconds(SEED_READ_GAP_SECONDS);
        return new Snapshot(r, sold);
      } finally {
        readersInside.decrementAndGet();
      }
    }

    /** Changes one number, waits, changes the other: half-written in between. */
    // Only the one writer thread updates the numbers, so no update is lost; what this lesson
    // shows is the moment between the two updates, which no volatile can hide.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    final void writeBoth(int change, Pace pace) throws InterruptedException {
      writerInside = true;
      try {
        if (readersInside.get() > 0) {
          overlapsWithWrites.incrementAndGet();
        }
        remaining -= change;
        pace.sleepSeconds(SEED_WRITE_GAP_SECONDS);
        sold += change;
      } finally {
        writerInside = false;
      }
    }
  }

  /** No lock at all. Broken on purpose. */
  static final class Unguarded extends Board {
    @Override
    String name() {
      return "no lock";
    }

    @Override
    Snapshot read(Pace pace) throws InterruptedException {
      return readBoth(pace);
    }

    @Override
    void sellThenRefund(Pace pace) throws InterruptedException {
      writeBoth(1, pace);
      writeBoth(-1, pace);
    }
  }

  /** Readers share the read lock; the writer holds the write lock alone. */
  static final class ReadWriteLocked extends Board {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    String name() {
      return "ReentrantReadWriteLock";
    }

    @Override
    Snapshot read(Pace pace) throws InterruptedException {
      lock.readLock().lockInterruptibly();
      try {
        return readBoth(pace);
      } finally {
        lock.readLock().unlock();
      }
    }

    @Override
    void sellThenRefund(Pace pace) throws InterruptedException {
      for (int change : new int[] {1, -1}) {
        lock.writeLock().lockInterruptibly();
        try {
          writeBoth(change, pace);
        } finally {
          lock.writeLock().unlock();
        }
      }
    }
  }

  /** Readers read optimistically and fall back to the read lock when a write came in between. */
  static final class Stamped extends Board {
    private final StampedLock lock = new StampedLock();
    final AtomicLong optimisticReads = new AtomicLong();
    final AtomicLong fallbacks = new AtomicLong();

    @Override
    String name() {
      return "StampedLock optimistic read";
    }

    @Override
    Snapshot read(Pace pace) throws InterruptedException {
      long stamp = lock.tryOptimisticRead();
      if (stamp != 0) {
        Snapshot seen = readBoth(pace);
        if (lock.validate(stamp)) {
          optimisticReads.incrementAndGet();
          return seen;
        }
      }
      fallbacks.incrementAndGet();
      stamp = lock.readLockInterruptibly();
      try {
        return readBoth(pace);
      } finally {
        lock.unlockRead(stamp);
      }
    }

    @Override
    void sellThenRefund(Pace pace) throws InterruptedException {
      for (int change : new int[] {1, -1}) {
        long stamp = lock.writeLockInterruptibly();
        try {
          writeBoth(change, pace);
        } finally {
          lock.unlockWrite(stamp);
        }
      }
    }
  }

  /** What the readers of one run saw. */
  record Outcome(
      long reads, long inconsistentReads, int mostReadersInside, int overlapsWithWrites) {}

  public ReadWriteLesson() {
    super(
        "sync.read-write",
        "Many readers, one writer: no lock, ReentrantReadWriteLock, StampedLock",
        beyondTheSeedAfter(SeedSection.WITH_LOCK));
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    for (Board board : List.of(new Unguarded(), new ReadWriteLocked(), new Stamped())) {
      Outcome outcome = race(board, context.pace());
      out.printf(
          Locale.ROOT,
          "%-28s %5d reads, %4d with a wrong sum; up to %d readers inside at once;"
              + " %d times a reader and the writer were inside together%n",
          board.name(),
          outcome.reads(),
          outcome.inconsistentReads(),
          outcome.mostReadersInside(),
          outcome.overlapsWithWrites());
      if (board instanceof Stamped stamped) {
        out.println(
            "  optimistic reads that validated: "
                + stamped.optimisticReads.get()
                + ", reads redone under the read lock: "
                + stamped.fallbacks.get());
      }
    }
  }

  /** Runs the writer's {@value #WRITES} sell-and-refund rounds against four readers. */
  static Outcome race(Board board, Pace pace) throws InterruptedException {
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    AtomicLong inconsistent = new AtomicLong();
    CountDownLatch startTogether = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    try {
      for (int i = 1; i <= READERS; i++) {
        threads.add(
            Thread.ofPlatform()
                .name("reader-" + i)
                .start(
                    () -> {
                      try {
                        startTogether.await();
                        while (writing.get()) {
                          Snapshot seen = board.read(pace);
                          reads.incrementAndGet();
                          if (!seen.consistent()) {
                            inconsistent.incrementAndGet();
                          }
                          pace.sleepSeconds(SEED_READ_PAUSE_SECONDS);
                        }
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      Thread writer =
          Thread.ofPlatform()
              .name("writer")
              .start(
                  () -> {
                    try {
                      startTogether.await();
                      for (int i = 0; i < WRITES; i++) {
                        board.sellThenRefund(pace);
                        pace.sleepSeconds(SEED_WRITER_PAUSE_SECONDS);
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } finally {
                      writing.set(false);
                    }
                  });
      threads.add(writer);
      startTogether.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
    } finally {
      LessonThreads.stopAll(threads);
    }
    return new Outcome(
        reads.get(),
        inconsistent.get(),
        board.mostReadersInside.get(),
        board.overlapsWithWrites.get());
  }
}
