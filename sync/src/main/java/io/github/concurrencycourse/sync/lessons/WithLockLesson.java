package io.github.concurrencycourse.sync.lessons;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.sync.LockGuard;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * 加锁解锁的另一种写法: the seed's {@code with mutex:}, in Java a {@link LockGuard} in try-with-resources,
 * beside the plain {@code lock(); try { ... } finally { unlock(); }}; and what each does when the
 * block throws.
 *
 * <p>Run it with {@code ./course run sync.with-lock}. You will see the seed's program: one hundred
 * threads, each prints {@code n} and takes one from it inside {@code try (LockGuard.Held held =
 * guard.lock())}, so the lines count down 100, 99, ... 1 one by one, and {@code main 0} at the end.
 * Then the same countdown in the try/finally form, summed up in one line. Then a block that throws:
 * in try-with-resources (and in try/finally) the lock is free afterwards and another thread takes
 * it at once; with {@code lock(); body(); unlock();} and no {@code finally}, the exception skips
 * the {@code unlock()}, the lock stays held and another thread gives up waiting for it, until the
 * lesson releases it by hand.
 */
public final class WithLockLesson extends AbstractLesson {

  private static final double SEED_WINDOW_SECONDS = 0.1;
  private static final Duration SHORTEST_PATIENCE = Duration.ofMillis(10);

  /** The seed's task with a lock taken some way; records the values of {@code n} it printed. */
  abstract static class PrintingCountdown implements MutexLesson.Countdown {
    final ReentrantLock mutex = new ReentrantLock();
    private final IntConsumer print;

    @GuardedBy("mutex")
    private int n = MutexLesson.THREADS;

    @GuardedBy("mutex")
    private final List<Integer> printed = new ArrayList<>();

    PrintingCountdown(IntConsumer print) {
      this.print = print;
    }

    /** The seed's body: {@code temp = n; print(n); sleep(0.1); n = temp - 1}. Hold the lock. */
    @GuardedBy("mutex")
    final void body(Pace pace) throws InterruptedException {
      int temp = n;
      printed.add(n);
      print.accept(n);
      pace.sleepSeconds(SEED_WINDOW_SECONDS);
      n = temp - 1;
    }

    @Override
    public final int value() {
      mutex.lock();
      try {
        return n;
      } finally {
        mutex.unlock();
      }
    }

    /** The values of {@code n} printed, in the order they were printed. */
    final List<Integer> printed() {
      mutex.lock();
      try {
        return List.copyOf(printed);
      } finally {
        mutex.unlock();
      }
    }
  }

  /** {@code with mutex:} as try-with-resources on a {@link LockGuard}. */
  static final class WithGuard extends PrintingCountdown {
    private final LockGuard guard = new LockGuard(mutex);

    WithGuard(IntConsumer print) {
      super(print);
    }

    @Override
    public String name() {
      return "try (LockGuard.Held held = guard.lock())";
    }

    // Error Prone cannot see that guard.lock() takes mutex; and the hold is there only to be
    // closed, which javac's -Xlint:try reports as an unused resource.
    @SuppressWarnings({"GuardedBy", "try"})
    @Override
    public void decrement(Pace pace) throws InterruptedException {
      try (LockGuard.Held held = guard.lock()) {
        body(pace);
      }
    }
  }

  /** {@code with mutex:} spelled out: lock, then try, and unlock in finally. */
  static final class WithTryFinally extends PrintingCountdown {
    WithTryFinally(IntConsumer print) {
      super(print);
    }

    @Override
    public String name() {
      return "mutex.lock(); try { ... } finally { mutex.unlock(); }";
    }

    @Override
    public void decrement(Pace pace) throws InterruptedException {
      mutex.lock();
      try {
        body(pace);
      } finally {
        mutex.unlock();
      }
    }
  }

  /**
   * What became of the lock after its block threw.
   *
   * @param caught the exception the block threw, as it reached the caller
   * @param stillLocked whether the lock was still held afterwards
   * @param anotherThreadGotIt whether another thread could take the lock then
   */
  record AfterException(String caught, boolean stillLocked, boolean anotherThreadGotIt) {}

  public WithLockLesson() {
    super(
        "sync.with-lock",
        "with mutex: as try-with-resources on a LockGuard, beside try/finally, and exceptions",
        SeedSection.WITH_LOCK);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Pace pace = context.pace();

    WithGuard guarded = new WithGuard(out::println);
    out.println("-- with mutex: -> " + guarded.name() + "; each thread prints n");
    out.println("main " + MutexLesson.runSeedTask(guarded, pace));

    WithTryFinally plain = new WithTryFinally(n -> {});
    out.println("-- the same with " + plain.name());
    int n = MutexLesson.runSeedTask(plain, pace);
    out.println(
        "printed 100 down to 1, one after another: "
            + countsDownFromOneHundred(plain.printed())
            + "; main "
            + n);

    Duration patience = patience(pace);
    out.println("-- an exception inside the block");
    show(out, "try-with-resources", throwInsideGuard(patience));
    show(out, "try/finally", throwInsideTryFinally(patience));
    show(out, "lock(); body(); unlock(); without finally", throwWithoutFinally(patience));
  }

  /** Whether {@code printed} is 100, 99, ... 1: each thread saw the value the one before left. */
  static boolean countsDownFromOneHundred(List<Integer> printed) {
    return printed.equals(
        IntStream.iterate(MutexLesson.THREADS, i -> i > 0, i -> i - 1).boxed().toList());
  }

  /** The block throws inside {@code try (held = guard.lock())}. */
  @SuppressWarnings("try") // the hold is there only to be closed
  static AfterException throwInsideGuard(Duration patience) throws InterruptedException {
    ReentrantLock mutex = new ReentrantLock();
    LockGuard guard = new LockGuard(mutex);
    String caught;
    try (LockGuard.Held held = guard.lock()) {
      failingBody();
      caught = "nothing";
    } catch (IllegalStateException e) {
      caught = e.getMessage();
    }
    return new AfterException(caught, mutex.isLocked(), anotherThreadLocks(mutex, patience));
  }

  /** The block throws inside {@code lock(); try { ... } finally { unlock(); }}. */
  static AfterException throwInsideTryFinally(Duration patience) throws InterruptedException {
    ReentrantLock mutex = new ReentrantLock();
    String caught;
    try {
      mutex.lock();
      try {
        failingBody();
        caught = "nothing";
      } finally {
        mutex.unlock();
      }
    } catch (IllegalStateException e) {
      caught = e.getMessage();
    }
    return new AfterException(caught, mutex.isLocked(), anotherThreadLocks(mutex, patience));
  }

  /**
   * The bug that {@code with} and try/finally prevent: {@code lock(); body(); unlock();}. The
   * exception skips the {@code unlock()}; the lock, still held by this thread, is released here by
   * hand once the other thread has given up on it.
   */
  @SuppressWarnings("LockNotBeforeTry") // the missing try is the point of this demo
  static AfterException throwWithoutFinally(Duration patience) throws InterruptedException {
    ReentrantLock mutex = new ReentrantLock();
    String caught;
    try {
      mutex.lock();
      failingBody();
      mutex.unlock();
      caught = "nothing";
    } catch (IllegalStateException e) {
      caught = e.getMessage();
    }
    try {
      return new AfterException(caught, mutex.isLocked(), anotherThreadLocks(mutex, patience));
    } finally {
      while (mutex.isHeldByCurrentThread()) {
        mutex.unlock();
      }
    }
  }

  private static void show(PrintStream out, String form, AfterException after) {
    out.println(
        form
            + ": the caller caught \""
            + after.caught()
            + "\"; afterwards the lock is "
            + (after.stillLocked() ? "STILL HELD" : "free")
            + ", and another thread "
            + (after.anotherThreadGotIt() ? "takes it at once" : "gives up waiting for it"));
  }

  private static void failingBody() {
    throw new IllegalStateException("数据库断开 (the database went away) inside the block");
  }

  /** Whether a fresh thread acquires {@code mutex} within {@code patience} (and releases it). */
  private static boolean anotherThreadLocks(ReentrantLock mutex, Duration patience)
      throws InterruptedException {
    AtomicBoolean acquired = new AtomicBoolean();
    Thread other =
        Thread.ofPlatform()
            .name("with-lock-other")
            .start(
                () -> {
                  try {
                    if (mutex.tryLock(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                      acquired.set(true);
                      mutex.unlock();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      other.join();
    } finally {
      LessonThreads.stopAll(List.of(other));
    }
    return acquired.get();
  }

  private static Duration patience(Pace pace) {
    Duration patience = pace.seconds(1);
    return patience.compareTo(SHORTEST_PATIENCE) < 0 ? SHORTEST_PATIENCE : patience;
  }
}
