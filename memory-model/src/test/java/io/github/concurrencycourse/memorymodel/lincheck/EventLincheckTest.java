package io.github.concurrencycourse.memorymodel.lincheck;

import io.github.concurrencycourse.sync.Event;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * {@link Event} (sync): {@code set}, {@code clear}, {@code isSet} and a wait that does not block
 * behave as one flag. The lock-free {@code isSet} reads the volatile flag, which {@code set} and
 * {@code clear} write under the lock; Lincheck checks that the two paths agree.
 */
public class EventLincheckTest extends LinearizabilityTest {

  private final Event event = new Event();

  @Operation
  public void set() {
    event.set();
  }

  @Operation
  public void clear() {
    event.clear();
  }

  @Operation
  public boolean isSet() {
    return event.isSet();
  }

  /** {@code await} with no time to wait: takes the lock when the flag is clear, never blocks. */
  @Operation
  public boolean awaitNow() throws InterruptedException {
    return event.await(0, TimeUnit.NANOSECONDS);
  }
}
