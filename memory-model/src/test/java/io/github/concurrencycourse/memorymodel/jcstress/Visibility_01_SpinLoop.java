package io.github.concurrencycourse.memorymodel.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The claim of {@code memory-model.visibility}: a loop that waits for a flag another thread sets
 * may never see it when the flag is a plain field, and always sees it when the flag is volatile,
 * read under the lock that guards its write, or read in opaque mode.
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t Visibility_01}. {@code TERMINATED}
 * means the actor left its loop after the signal set the flag; {@code STALE} means it was still
 * spinning when jcstress gave up on it.
 */
public final class Visibility_01_SpinLoop {

  private Visibility_01_SpinLoop() {}

  /**
   * A plain field: the JIT may read it once before the loop and spin on the register for ever.
   * Broken.
   */
  @JCStressTest(Mode.Termination)
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "saw the flag")
  @Outcome(
      id = "STALE",
      expect = ACCEPTABLE_INTERESTING,
      desc = "the read was hoisted: spins for ever")
  @State
  public static class Plain {
    boolean stop;

    @Actor
    public void reader() {
      while (!stop) {
        // spin
      }
    }

    @Signal
    public void writer() {
      stop = true;
    }
  }

  /** A volatile field: every read goes to memory, and the write becomes visible. */
  @JCStressTest(Mode.Termination)
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "saw the flag")
  @Outcome(id = "STALE", expect = FORBIDDEN, desc = "a volatile write must become visible")
  @State
  public static class Volatile {
    volatile boolean stop;

    @Actor
    public void reader() {
      while (!stop) {
        // spin
      }
    }

    @Signal
    public void writer() {
      stop = true;
    }
  }

  /** A plain field written and read under one monitor: each unlock happens-before the next lock. */
  @JCStressTest(Mode.Termination)
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "saw the flag")
  @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the lock orders the write before a read")
  @State
  public static class Synchronized {
    private boolean stop;

    @Actor
    public void reader() {
      while (!stopped()) {
        // spin
      }
    }

    @Signal
    public synchronized void writer() {
      stop = true;
    }

    private synchronized boolean stopped() {
      return stop;
    }
  }

  /**
   * Opaque mode through a {@link VarHandle}: no ordering with other variables, but the read cannot
   * be hoisted and the write eventually shows.
   */
  @JCStressTest(Mode.Termination)
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "saw the flag")
  @Outcome(id = "STALE", expect = FORBIDDEN, desc = "an opaque write must become visible")
  @State
  public static class VarHandleOpaque {
    private static final VarHandle STOP;

    static {
      try {
        STOP = MethodHandles.lookup().findVarHandle(VarHandleOpaque.class, "stop", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    boolean stop;

    @Actor
    public void reader() {
      while (!(boolean) STOP.getOpaque(this)) {
        // spin
      }
    }

    @Signal
    public void writer() {
      STOP.setOpaque(this, true);
    }
  }

  /** The same opaque read through {@link AtomicBoolean#getOpaque()}. */
  @JCStressTest(Mode.Termination)
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "saw the flag")
  @Outcome(id = "STALE", expect = FORBIDDEN, desc = "an opaque write must become visible")
  @State
  public static class AtomicOpaque {
    final AtomicBoolean stop = new AtomicBoolean();

    @Actor
    public void reader() {
      while (!stop.getOpaque()) {
        // spin
      }
    }

    @Signal
    public void writer() {
      stop.setOpaque(true);
    }
  }
}
