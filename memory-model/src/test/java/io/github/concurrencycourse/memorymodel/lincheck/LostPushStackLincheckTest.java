package io.github.concurrencycourse.memorymodel.lincheck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * The check can fail: a stack that differs from {@link
 * io.github.concurrencycourse.memorymodel.TreiberStack} only in installing its new head with {@code
 * set} instead of {@code compareAndSet} loses pushes, and Lincheck says how.
 */
class LostPushStackLincheckTest {

  /** A Treiber stack with its one essential step removed. Broken on purpose. */
  static final class LostPushStack {
    private record Node(int item, Node next) {}

    private final AtomicReference<Node> head = new AtomicReference<>();

    void push(int item) {
      head.set(new Node(item, head.get()));
    }

    Integer pop() {
      Node top;
      do {
        top = head.get();
        if (top == null) {
          return null;
        }
      } while (!head.compareAndSet(top, top.next()));
      return top.item();
    }
  }

  /** The operations Lincheck calls on the broken stack. */
  @Param(name = "item", gen = IntGen.class, conf = "1:3")
  public static class Operations {
    private final LostPushStack stack = new LostPushStack();

    @Operation
    public void push(@Param(name = "item") int item) {
      stack.push(item);
    }

    @Operation
    public Integer pop() {
      return stack.pop();
    }
  }

  @Test
  void modelCheckingFindsTheLostPushAndPrintsTheInterleaving() {
    assertThatThrownBy(() -> Linearizability.modelChecking().check(Operations.class))
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageContaining("Invalid execution results")
        .hasMessageContaining("The following interleaving leads to the error")
        .hasMessageContaining("switch");
  }
}
