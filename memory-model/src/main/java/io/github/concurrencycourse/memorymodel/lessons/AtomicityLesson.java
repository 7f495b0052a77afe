package io.github.concurrencycourse.memorymodel.lessons;

import io.github.concurrencycourse.common.lesson.LessonContext;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Beyond the seed: atomicity. {@code volatile} makes writes visible; it does not make {@code
 * count++} one step.
 *
 * <p>Run it with {@code ./course run memory-model.atomicity}. You will see two threads add {@value
 * #INCREMENTS} each to one counter, four ways: {@code count++} on a volatile {@code long} ends
 * short of the total, because each {@code ++} is a read, an add and a write, and two threads that
 * read the same value write the same sum; {@link AtomicLong}, {@link LongAdder} and a lock end
 * exact, at their own cost (the lesson prints the time of each). Then word tearing: JLS 17.7 lets a
 * JVM write a plain {@code long} or {@code double} as two 32-bit halves, and the lesson counts the
 * torn values a reader saw, on plain and on volatile {@code long}s. A 64-bit HotSpot writes every
 * {@code long} whole, so expect none; a 32-bit JVM may show them for the plain field.
 *
 * <p>This is the seed's ticket oversell (互斥锁) in one machine word: read, decide, write, with
 * another thread in between.
 */
public final class AtomicityLesson extends MemoryModelLesson {

  /** Increments per thread. */
  static final int INCREMENTS = 1_000_000;

  /** Threads that increment. */
  static final int THREADS = 2;

  /** Samples of the tearing race. */
  static final int TEARING_SAMPLES = 1 << 18;

  /** A counter that threads increment: its name, one increment, and the total it reads. */
  record Counter(String name, Runnable increment, LongSupplier total) {}

  /** {@code count++} on a volatile: three steps, visible, not atomic. Broken on purpose. */
  // The lost update this lesson counts.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  static Counter volatileCount() {
    VolatileLong count = new VolatileLong();
    return new Counter("volatile long, count++", () -> count.value++, () -> count.value);
  }

  /** One compare-and-set loop inside the JDK ({@code lock xadd} on x86). */
  static Counter atomicCount() {
    AtomicLong count = new AtomicLong();
    return new Counter("AtomicLong.incrementAndGet()", count::incrementAndGet, count::get);
  }

  /** Threads that collide add to cells of their own; {@code sum()} adds the cells. */
  static Counter adderCount() {
    LongAdder count = new LongAdder();
    return new Counter("LongAdder.increment()", count::increment, count::sum);
  }

  /** {@code count++} under a monitor. */
  static Counter lockedCount() {
    LockedLong count = new LockedLong();
    return new Counter("synchronized count++", count::increment, count::get);
  }

  /** A {@code long} that is only volatile. */
  static final class VolatileLong {
    volatile long value;
  }

  /** A {@code long} read and incremented under its monitor. */
  static final class LockedLong {
    private long value;

    synchronized void increment() {
      value++;
    }

    synchronized long get() {
      return value;
    }
  }

  /** What one counter ended at, and how long the threads took. */
  record Tally(String counter, long total, long expected, Duration elapsed) {
    long lost() {
      return expected - total;
    }
  }

  /** One sample of the tearing race. */
  static final class PlainWord {
    long value;
    long seen;
  }

  /** One sample of the tearing race on a volatile. */
  static final class VolatileWord {
    volatile long value;
    long seen;
  }

  /** What the reader of a {@code long} saw while {@code -1} was written over {@code 0}. */
  enum Word {
    OLD("0"),
    NEW("-1"),
    TORN("torn");

    private final String label;

    Word(String label) {
      this.label = label;
    }

    static Word of(long seen) {
      if (seen == 0) {
        return OLD;
      }
      return seen == -1 ? NEW : TORN;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  public AtomicityLesson() {
    super(
        "memory-model.atomicity",
        "Atomicity: count++ on a volatile loses updates; AtomicLong, LongAdder, a lock; tearing");
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    out.printf(Locale.ROOT, "%d threads add %,d each to one counter:%n", THREADS, INCREMENTS);
    Counter broken = volatileCount();
    for (Counter counter : List.of(broken, atomicCount(), adderCount(), lockedCount())) {
      Tally tally = race(counter, THREADS, INCREMENTS);
      out.printf(
          Locale.ROOT,
          "  %-30s %,10d of %,d (%,d lost) in %4d ms%n",
          tally.counter(),
          tally.total(),
          tally.expected(),
          tally.lost(),
          tally.elapsed().toMillis());
      if (counter.equals(broken) && tally.lost() == 0) {
        out.println(
            "    none lost this time: the two threads never ran at the same moment (a busy"
                + " machine runs them in turns); the JMM allows the loss, and the jcstress test"
                + " Atomicity_01 shows it");
      }
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "Word tearing: one thread writes -1 over 0, another reads; %,d samples on this %s-bit JVM"
            + " (%s, %s):%n",
        TEARING_SAMPLES,
        System.getProperty("sun.arch.data.model", "?"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.arch"));
    Map<Word, Long> plain = plainTearing(TEARING_SAMPLES);
    Map<Word, Long> fenced = volatileTearing(TEARING_SAMPLES);
    out.printf(
        Locale.ROOT,
        "  plain long:    %s -> %,d torn (JLS 17.7 allows it)%n",
        Race.describe(plain),
        plain.getOrDefault(Word.TORN, 0L));
    out.printf(
        Locale.ROOT,
        "  volatile long: %s -> %,d torn (JLS 17.7 forbids it)%n",
        Race.describe(fenced),
        fenced.getOrDefault(Word.TORN, 0L));
  }

  /** {@code threads} threads, released together, each increment {@code counter} {@code times}. */
  static Tally race(Counter counter, int threads, int times) throws InterruptedException {
    long start = System.nanoTime();
    Together.run(
        "incrementer",
        threads,
        thread -> {
          for (int i = 0; i < times; i++) {
            counter.increment().run();
          }
        });
    return new Tally(
        counter.name(),
        counter.total().getAsLong(),
        (long) threads * times,
        Duration.ofNanos(System.nanoTime() - start));
  }

  static Map<Word, Long> plainTearing(int samples) throws InterruptedException {
    return Race.between(
            PlainWord::new, (PlainWord w) -> w.value = -1L, (PlainWord w) -> w.seen = w.value)
        .run(samples, w -> Word.of(w.seen));
  }

  static Map<Word, Long> volatileTearing(int samples) throws InterruptedException {
    return Race.between(
            VolatileWord::new,
            (VolatileWord w) -> w.value = -1L,
            (VolatileWord w) -> w.seen = w.value)
        .run(samples, w -> Word.of(w.seen));
  }
}
