package io.github.concurrencycourse.memorymodel.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * The claim of {@code memory-model.atomicity}: {@code count++} is a read, an add and a write, and
 * {@code volatile} makes each of them visible without making the three one step. Two increments can
 * therefore leave the count at 1. {@link AtomicLong}, {@link LongAdder} and a lock make the
 * increment atomic.
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t Atomicity_01}. The result is the
 * count after both actors incremented it once.
 */
public final class Atomicity_01_ReadModifyWrite {

  private Atomicity_01_ReadModifyWrite() {}

  /** {@code count++} on a volatile field. Broken. */
  @JCStressTest
  @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
  @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "an update was lost")
  @State
  public static class VolatileIncrement {
    volatile long count;

    // Racy on purpose: this is the lost update the test observes.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    @Actor
    public void first() {
      count++;
    }

    @SuppressWarnings("NonAtomicVolatileUpdate")
    @Actor
    public void second() {
      count++;
    }

    @Arbiter
    public void total(J_Result r) {
      r.r1 = count;
    }
  }

  /** {@link AtomicLong#incrementAndGet()}: one atomic read-modify-write. */
  @JCStressTest
  @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
  @Outcome(id = "1", expect = FORBIDDEN, desc = "an update was lost")
  @State
  public static class AtomicIncrement {
    final AtomicLong count = new AtomicLong();

    @Actor
    public void first() {
      count.incrementAndGet();
    }

    @Actor
    public void second() {
      count.incrementAndGet();
    }

    @Arbiter
    public void total(J_Result r) {
      r.r1 = count.get();
    }
  }

  /** {@link LongAdder#increment()}: each thread adds to a cell of its own when they collide. */
  @JCStressTest
  @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
  @Outcome(id = "1", expect = FORBIDDEN, desc = "an update was lost")
  @State
  public static class AdderIncrement {
    final LongAdder count = new LongAdder();

    @Actor
    public void first() {
      count.increment();
    }

    @Actor
    public void second() {
      count.increment();
    }

    @Arbiter
    public void total(J_Result r) {
      r.r1 = count.sum();
    }
  }

  /** {@code count++} under a lock. */
  @JCStressTest
  @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
  @Outcome(id = "1", expect = FORBIDDEN, desc = "an update was lost")
  @State
  public static class LockedIncrement {
    private long count;

    @Actor
    public void first() {
      increment();
    }

    @Actor
    public void second() {
      increment();
    }

    @Arbiter
    public synchronized void total(J_Result r) {
      r.r1 = count;
    }

    private synchronized void increment() {
      count++;
    }
  }
}
