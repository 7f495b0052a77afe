package io.github.concurrencycourse.memorymodel.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The first claim of {@code memory-model.publication}: an object handed to another thread through a
 * plain field may be seen before its constructor's writes, with its fields still at their default
 * values. A {@code final} field, or a volatile reference, forbids that.
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t Publication_01}. The result is what
 * the reader saw: {@code -1} for no object yet, otherwise the object's value.
 */
public final class Publication_01_UnsafePublication {

  private Publication_01_UnsafePublication() {}

  /** A ticket whose number is a plain field. */
  static final class PlainTicket {
    int number;

    PlainTicket(int number) {
      this.number = number;
    }
  }

  /** A ticket whose number is final. */
  static final class FinalTicket {
    final int number;

    FinalTicket(int number) {
      this.number = number;
    }
  }

  /** A plain reference to an object with a plain field. Broken. */
  @JCStressTest
  @Outcome(
      id = {"-1", "3"},
      expect = ACCEPTABLE,
      desc = "not yet published, or whole")
  @Outcome(
      id = "0",
      expect = ACCEPTABLE_INTERESTING,
      desc = "published before its constructor's write")
  @State
  public static class PlainReference {
    PlainTicket ticket;

    @Actor
    public void publisher() {
      ticket = new PlainTicket(3);
    }

    @Actor
    public void reader(I_Result r) {
      PlainTicket seen = ticket;
      r.r1 = seen == null ? -1 : seen.number;
    }
  }

  /** A plain reference to an object whose field is final: the constructor's write is frozen. */
  @JCStressTest
  @Outcome(
      id = {"-1", "3"},
      expect = ACCEPTABLE,
      desc = "not yet published, or whole")
  @Outcome(id = "0", expect = FORBIDDEN, desc = "final fields are seen as the constructor set them")
  @State
  public static class FinalField {
    FinalTicket ticket;

    @Actor
    public void publisher() {
      ticket = new FinalTicket(3);
    }

    @Actor
    public void reader(I_Result r) {
      FinalTicket seen = ticket;
      r.r1 = seen == null ? -1 : seen.number;
    }
  }

  /** A volatile reference: the constructor's writes happen-before a read that sees the object. */
  @JCStressTest
  @Outcome(
      id = {"-1", "3"},
      expect = ACCEPTABLE,
      desc = "not yet published, or whole")
  @Outcome(id = "0", expect = FORBIDDEN, desc = "the volatile write publishes what came before")
  @State
  public static class VolatileReference {
    volatile PlainTicket ticket;

    @Actor
    public void publisher() {
      ticket = new PlainTicket(3);
    }

    @Actor
    public void reader(I_Result r) {
      PlainTicket seen = ticket;
      r.r1 = seen == null ? -1 : seen.number;
    }
  }
}
