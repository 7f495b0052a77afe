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
 * Happens-before through a volatile variable, the rule {@code memory-model.reordering} teaches: a
 * writer fills {@code data}, then raises {@code ready}; a reader that sees {@code ready} must see
 * {@code data}. With a plain flag nothing orders the two writes for the reader; with a volatile
 * flag the write of {@code ready} happens-before the read that sees it, and so does everything the
 * writer did before.
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t Reordering_02}. The result is {@code
 * ready, data} as the reader saw them.
 */
public final class Reordering_02_MessagePassing {

  private Reordering_02_MessagePassing() {}

  /** A plain flag. Broken: the reader may see the flag and still miss the data. */
  @JCStressTest
  @Outcome(
      id = {"0, 0", "0, 42", "1, 42"},
      expect = ACCEPTABLE,
      desc = "not ready yet, or ready with its data")
  @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "ready, but the data is missing")
  @State
  public static class PlainFlag {
    int data;
    boolean ready;

    @Actor
    public void writer() {
      data = 42;
      ready = true;
    }

    @Actor
    public void reader(II_Result r) {
      boolean seen = ready;
      r.r1 = seen ? 1 : 0;
      r.r2 = data;
    }
  }

  /** A volatile flag publishes the plain data written before it. */
  @JCStressTest
  @Outcome(
      id = {"0, 0", "0, 42", "1, 42"},
      expect = ACCEPTABLE,
      desc = "not ready yet, or ready with its data")
  @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "the volatile write happens-before the read")
  @State
  public static class VolatileFlag {
    int data;
    volatile boolean ready;

    @Actor
    public void writer() {
      data = 42;
      ready = true;
    }

    @Actor
    public void reader(II_Result r) {
      boolean seen = ready;
      r.r1 = seen ? 1 : 0;
      r.r2 = data;
    }
  }
}
