package io.github.concurrencycourse.memorymodel.lincheck;

import io.github.concurrencycourse.memorymodel.TreiberStack;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** {@link TreiberStack} is linearizable: push, pop, peek, isEmpty behave as one stack. */
@Param(name = "item", gen = IntGen.class, conf = "1:5")
public class TreiberStackLincheckTest extends LinearizabilityTest {

  private final TreiberStack<Integer> stack = new TreiberStack<>();

  @Operation
  public void push(@Param(name = "item") int item) {
    stack.push(item);
  }

  @Operation
  public Integer pop() {
    return stack.pop();
  }

  @Operation
  public Integer peek() {
    return stack.peek();
  }

  @Operation
  public boolean isEmpty() {
    return stack.isEmpty();
  }

  /** A Treiber stack is lock-free, hence obstruction-free: the model checker checks that too. */
  @Override
  ModelCheckingOptions modelChecking(ModelCheckingOptions options) {
    return options.checkObstructionFreedom(true);
  }
}
