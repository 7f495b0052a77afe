package io.github.concurrencycourse.memorymodel.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.concurrencycourse.memorymodel.TreiberStack;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * {@link TreiberStack}, the library class of {@code memory-model.lock-free}, against a stack that
 * links its new head with a plain read and a volatile write instead of a compare-and-set.
 *
 * <p>Run: {@code java -jar memory-model/target/jcstress.jar -t LockFree_02}.
 */
public final class LockFree_02_TreiberStack {

  private LockFree_02_TreiberStack() {}

  /** A stack whose push reads the head, then writes a new one: two steps. Broken. */
  static final class ReadThenWriteStack {
    private record Node(String item, Node next) {}

    private volatile Node head;

    void push(String item) {
      head = new Node(item, head);
    }

    String drain() {
      StringBuilder items = new StringBuilder();
      for (Node node = head; node != null; node = node.next()) {
        items.append(node.item());
      }
      return items.toString();
    }
  }

  /** Two pushes on the broken stack; the result is the stack, top first. */
  @JCStressTest
  @Outcome(
      id = {"AB", "BA"},
      expect = ACCEPTABLE,
      desc = "both pushes kept")
  @Outcome(
      id = {"A", "B"},
      expect = ACCEPTABLE_INTERESTING,
      desc = "a push was lost")
  @State
  public static class ReadThenWritePushes {
    final ReadThenWriteStack stack = new ReadThenWriteStack();

    @Actor
    public void pushB() {
      stack.push("B");
    }

    @Actor
    public void pushA() {
      stack.push("A");
    }

    @Arbiter
    public void contents(L_Result r) {
      r.r1 = stack.drain();
    }
  }

  /** Two pushes on the Treiber stack; the result is the stack, top first. */
  @JCStressTest
  @Outcome(
      id = {"AB", "BA"},
      expect = ACCEPTABLE,
      desc = "both pushes kept")
  @Outcome(expect = FORBIDDEN, desc = "a push was lost")
  @State
  public static class TreiberPushes {
    final TreiberStack<String> stack = new TreiberStack<>();

    @Actor
    public void pushB() {
      stack.push("B");
    }

    @Actor
    public void pushA() {
      stack.push("A");
    }

    @Arbiter
    public void contents(L_Result r) {
      StringBuilder items = new StringBuilder();
      for (String item = stack.pop(); item != null; item = stack.pop()) {
        items.append(item);
      }
      r.r1 = items.toString();
    }
  }

  /**
   * A push and a pop racing on a stack that holds 1: the pop takes 1 or 2, and the other stays. The
   * result is what the pop returned, then what was left.
   */
  @JCStressTest
  @Outcome(
      id = {"1, 2", "2, 1"},
      expect = ACCEPTABLE,
      desc = "one element popped, the other left")
  @Outcome(expect = FORBIDDEN, desc = "an element lost or returned twice")
  @State
  public static class TreiberPushAndPop {
    final TreiberStack<Integer> stack = new TreiberStack<>();

    public TreiberPushAndPop() {
      stack.push(1);
    }

    @Actor
    public void pusher() {
      stack.push(2);
    }

    @Actor
    public void popper(II_Result r) {
      Integer popped = stack.pop();
      r.r1 = popped == null ? 0 : popped;
    }

    @Arbiter
    public void left(II_Result r) {
      Integer rest = stack.pop();
      r.r2 = stack.isEmpty() && rest != null ? rest : -1;
    }
  }
}
