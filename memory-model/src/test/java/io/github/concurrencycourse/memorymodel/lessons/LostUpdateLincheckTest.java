package io.github.concurrencycourse.memorymodel.lessons;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.memorymodel.lessons.AtomicityLesson.Counter;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * The claim of {@code memory-model.atomicity}, proven whatever the scheduler does in a run:
 * Lincheck's model checker explores the interleavings of concurrent increments, finds one in which
 * a volatile {@code count++} loses an update, and finds none for {@code AtomicLong}, {@code
 * LongAdder} or the lock.
 */
class LostUpdateLincheckTest {

  /** The operations Lincheck calls; subclasses choose the counter. */
  public abstract static class Operations {
    private final Counter counter;

    Operations(Counter counter) {
      this.counter = counter;
    }

    @Operation
    public void increment() {
      counter.increment().run();
    }

    @Operation
    public long total() {
      return counter.total().getAsLong();
    }
  }

  /** {@code count++} on a volatile. */
  public static class VolatileOperations extends Operations {
    public VolatileOperations() {
      super(AtomicityLesson.volatileCount());
    }
  }

  /** {@link java.util.concurrent.atomic.AtomicLong#incrementAndGet()}. */
  public static class AtomicOperations extends Operations {
    public AtomicOperations() {
      super(AtomicityLesson.atomicCount());
    }
  }

  /** {@link java.util.concurrent.atomic.LongAdder#increment()}. */
  public static class AdderOperations extends Operations {
    public AdderOperations() {
      super(AtomicityLesson.adderCount());
    }
  }

  /** {@code count++} under a monitor. */
  public static class LockedOperations extends Operations {
    public LockedOperations() {
      super(AtomicityLesson.lockedCount());
    }
  }

  private static ModelCheckingOptions options() {
    return new ModelCheckingOptions()
        .iterations(10)
        .invocationsPerIteration(200)
        .threads(2)
        .actorsBefore(0)
        .actorsPerThread(2)
        .actorsAfter(1);
  }

  @Test
  void aVolatileIncrementLosesAnUpdateInSomeInterleaving() {
    assertThatThrownBy(() -> options().check(VolatileOperations.class))
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageContaining("Invalid execution results")
        .hasMessageContaining("switch");
  }

  @Test
  void anAtomicLongLosesNoUpdateInAnyExploredInterleaving() {
    options().check(AtomicOperations.class);
  }

  @Test
  void aLongAdderLosesNoUpdateInAnyExploredInterleaving() {
    options().check(AdderOperations.class);
  }

  @Test
  void theLockLosesNoUpdateInAnyExploredInterleaving() {
    options().check(LockedOperations.class);
  }
}
