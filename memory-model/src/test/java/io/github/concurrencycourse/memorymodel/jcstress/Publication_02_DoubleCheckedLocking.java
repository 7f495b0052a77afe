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
 * Double-checked locking, the lazy initialisation that {@code memory-model.publication} takes
 * apart: the first check reads the instance without the lock, so a thread that finds it there has
 * no happens-before edge to the constructor's writes, unless the field is volatile.
 *
 * <p>The holder-class idiom cannot be shown here: a class is initialised once per JVM, not once per
 * sample. Its guarantee is the class initialisation lock (JLS 12.4.2).
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t Publication_02}. Both actors ask for
 * the instance and report the value they found in it.
 */
public final class Publication_02_DoubleCheckedLocking {

  private Publication_02_DoubleCheckedLocking() {}

  /** The lazily created object; its field is plain on purpose. */
  static final class Config {
    int tickets;

    Config() {
      tickets = 3;
    }
  }

  /** A plain field checked outside the lock. Broken; Error Prone rejects it unless suppressed. */
  @JCStressTest
  @Outcome(id = "3, 3", expect = ACCEPTABLE, desc = "both saw the constructed object")
  @Outcome(
      id = {"0, 3", "3, 0", "0, 0"},
      expect = ACCEPTABLE_INTERESTING,
      desc = "saw the object before its constructor's write")
  @State
  public static class PlainField {
    private Config instance;

    // Broken on purpose: this is the pattern the check exists to catch.
    @SuppressWarnings("DoubleCheckedLocking")
    Config instance() {
      Config found = instance;
      if (found == null) {
        synchronized (this) {
          found = instance;
          if (found == null) {
            found = new Config();
            instance = found;
          }
        }
      }
      return found;
    }

    @Actor
    public void first(II_Result r) {
      r.r1 = instance().tickets;
    }

    @Actor
    public void second(II_Result r) {
      r.r2 = instance().tickets;
    }
  }

  /** A volatile field: the unlocked read that finds the object also sees its construction. */
  @JCStressTest
  @Outcome(id = "3, 3", expect = ACCEPTABLE, desc = "both saw the constructed object")
  @Outcome(
      id = {"0, 3", "3, 0", "0, 0"},
      expect = FORBIDDEN,
      desc = "saw the object before its constructor's write")
  @State
  public static class VolatileField {
    private volatile Config instance;

    Config instance() {
      Config found = instance;
      if (found == null) {
        synchronized (this) {
          found = instance;
          if (found == null) {
            found = new Config();
            instance = found;
          }
        }
      }
      return found;
    }

    @Actor
    public void first(II_Result r) {
      r.r1 = instance().tickets;
    }

    @Actor
    public void second(II_Result r) {
      r.r2 = instance().tickets;
    }
  }
}
