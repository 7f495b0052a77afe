package io.github.concurrencycourse.memorymodel.jcstress.selfcheck;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * A deliberately wrong "fixed form", kept out of the default set: it claims that {@code count++} on
 * a volatile never loses an update. Running it shows that the gate fails the run when a forbidden
 * outcome appears; see the module README for the command and what it printed.
 */
public final class SelfCheck_01_VolatileIncrementClaimedAtomic {

  private SelfCheck_01_VolatileIncrementClaimedAtomic() {}

  /** The wrong claim. */
  @JCStressTest
  @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
  @Outcome(id = "1", expect = FORBIDDEN, desc = "an update was lost (wrongly claimed impossible)")
  @State
  public static class VolatileIncrement {
    volatile long count;

    @SuppressWarnings("NonAtomicVolatileUpdate") // the claim under test is that this is safe
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
}
