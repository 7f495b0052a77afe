package io.github.concurrencycourse.memorymodel.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * Word tearing, the second claim of {@code memory-model.atomicity}: JLS 17.7 lets a JVM write a
 * plain {@code long} or {@code double} as two 32-bit halves, so a reader may see one half of the
 * new value and one of the old. Volatile {@code long} and {@code double} accesses are always
 * atomic. A 64-bit HotSpot writes plain {@code long}s whole as well, so the interesting outcome is
 * allowed but not expected on this machine.
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t Atomicity_02}. The writer stores
 * {@code -1} (all 64 bits set) over {@code 0}; the result is the value the reader saw.
 */
public final class Atomicity_02_WordTearing {

  private Atomicity_02_WordTearing() {}

  /** A plain {@code long}: tearing is allowed by the JLS. */
  @JCStressTest
  @Outcome(
      id = {"0", "-1"},
      expect = ACCEPTABLE,
      desc = "the old or the new value, whole")
  @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "torn: one half old, one half new")
  @State
  public static class PlainLong {
    long value;

    @Actor
    public void writer() {
      value = -1L;
    }

    @Actor
    public void reader(J_Result r) {
      r.r1 = value;
    }
  }

  /**
   * A plain {@code double}, reported by its bits: the same licence as {@code long}. The writer
   * stores {@code Math.PI}, whose two halves are both non-zero, so either torn mix shows.
   */
  @JCStressTest
  @Outcome(
      id = {"0", "4614256656552045848"},
      expect = ACCEPTABLE,
      desc = "0.0 or Math.PI, whole")
  @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "torn: one half old, one half new")
  @State
  public static class PlainDouble {
    double value;

    @Actor
    public void writer() {
      value = Math.PI;
    }

    @Actor
    public void reader(J_Result r) {
      r.r1 = Double.doubleToRawLongBits(value);
    }
  }

  /** A volatile {@code long}: every access is atomic. */
  @JCStressTest
  @Outcome(
      id = {"0", "-1"},
      expect = ACCEPTABLE,
      desc = "the old or the new value, whole")
  @Outcome(expect = FORBIDDEN, desc = "torn: one half old, one half new")
  @State
  public static class VolatileLong {
    volatile long value;

    @Actor
    public void writer() {
      value = -1L;
    }

    @Actor
    public void reader(J_Result r) {
      r.r1 = value;
    }
  }
}
