package io.github.concurrencycourse.memorymodel.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * The compare-and-set retry loop of {@code memory-model.lock-free}: read the value, compute the new
 * one, install it only if the value is still the one read, otherwise start again. An atomic
 * variable used as {@code set(get() + 1)} is no better than a volatile: each call is atomic, the
 * pair is not.
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t LockFree_01}. Both actors add 1; the
 * result is the total.
 */
public final class LockFree_01_CasLoop {

  private LockFree_01_CasLoop() {}

  /** {@code get} then {@code set}: two atomic steps, not one. Broken. */
  @JCStressTest
  @Outcome(id = "2", expect = ACCEPTABLE, desc = "both additions counted")
  @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "an addition was lost")
  @State
  public static class GetThenSet {
    final AtomicLong total = new AtomicLong();

    @Actor
    public void first() {
      total.set(total.get() + 1);
    }

    @Actor
    public void second() {
      total.set(total.get() + 1);
    }

    @Arbiter
    public void result(J_Result r) {
      r.r1 = total.get();
    }
  }

  /** {@code compareAndSet} in a loop: a stale read fails and is retried. */
  @JCStressTest
  @Outcome(id = "2", expect = ACCEPTABLE, desc = "both additions counted")
  @Outcome(id = "1", expect = FORBIDDEN, desc = "an addition was lost")
  @State
  public static class RetryLoop {
    final AtomicLong total = new AtomicLong();

    @Actor
    public void first() {
      add(1);
    }

    @Actor
    public void second() {
      add(1);
    }

    @Arbiter
    public void result(J_Result r) {
      r.r1 = total.get();
    }

    private void add(long delta) {
      long seen;
      do {
        seen = total.get();
      } while (!total.compareAndSet(seen, seen + delta));
    }
  }
}
