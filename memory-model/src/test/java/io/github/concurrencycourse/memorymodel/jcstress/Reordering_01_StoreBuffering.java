package io.github.concurrencycourse.memorymodel.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The claim of {@code memory-model.reordering}: in Dekker's pattern each thread writes its own
 * variable, then reads the other's. Every interleaving of the four statements leaves at least one
 * {@code 1}; with plain fields both reads may still see {@code 0}, because a store may wait in the
 * CPU's store buffer while the next load runs (x86 does this) or the JIT may swap them. Volatile
 * accesses are sequentially consistent: {@code 0, 0} is forbidden.
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t Reordering_01}. The result is {@code
 * r1, r2}.
 */
public final class Reordering_01_StoreBuffering {

  private Reordering_01_StoreBuffering() {}

  /** Plain fields. Broken as a mutual-exclusion protocol: both threads may read 0. */
  @JCStressTest
  @Outcome(
      id = {"0, 1", "1, 0", "1, 1"},
      expect = ACCEPTABLE,
      desc = "an interleaving")
  @Outcome(
      id = "0, 0",
      expect = ACCEPTABLE_INTERESTING,
      desc = "each load ran before the other's store")
  @State
  public static class Plain {
    int x;
    int y;

    @Actor
    public void actor1(II_Result r) {
      x = 1;
      r.r1 = y;
    }

    @Actor
    public void actor2(II_Result r) {
      y = 1;
      r.r2 = x;
    }
  }

  /** Volatile fields: the JMM forbids {@code 0, 0}. */
  @JCStressTest
  @Outcome(
      id = {"0, 1", "1, 0", "1, 1"},
      expect = ACCEPTABLE,
      desc = "an interleaving")
  @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "volatile accesses are sequentially consistent")
  @State
  public static class Volatile {
    volatile int x;
    volatile int y;

    @Actor
    public void actor1(II_Result r) {
      x = 1;
      r.r1 = y;
    }

    @Actor
    public void actor2(II_Result r) {
      y = 1;
      r.r2 = x;
    }
  }
}
