package io.github.concurrencycourse.memorymodel;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An unbounded, lock-free, linearizable last-in-first-out stack: R. K. Treiber's algorithm (IBM,
 * 1986), a singly linked list whose head moves only by compare-and-set.
 *
 * <p>{@link #push} links a new node in front of the head it read and installs it with one {@code
 * compareAndSet}; {@link #pop} installs the head's successor the same way. A {@code compareAndSet}
 * that fails means another thread moved the head in between: the operation reads the new head and
 * tries again. Some thread's {@code compareAndSet} always succeeds, so the stack as a whole always
 * makes progress (lock-free), but one thread may retry any number of times under contention (not
 * wait-free). No thread ever blocks, and a thread that stops in the middle of an operation holds
 * nobody up.
 *
 * <p>Nodes are immutable and never reused: a popped node becomes garbage, and the garbage collector
 * does not recycle it while any thread can still compare against it. This is what keeps the
 * algorithm free of the ABA problem, which a stack that reuses its nodes (a free list, or manual
 * memory management) must solve with stamped or tagged references.
 *
 * <p>Each operation is atomic and takes effect at its successful {@code compareAndSet} (or, for a
 * {@code pop} or {@code peek} that finds the stack empty, at its read of the head), so the stack
 * behaves as if the operations of all threads ran one at a time in some order consistent with real
 * time. {@link #size()} is the exception: it walks the list without locking it and is exact only
 * while no other thread changes the stack.
 *
 * <p>Memory consistency effects: actions in a thread prior to pushing an element
 * <i>happen-before</i> actions subsequent to the {@code pop} or {@code peek} that returns that
 * element in another thread.
 *
 * <p>This stack does not accept {@code null} elements ({@link NullPointerException}), so that
 * {@code null} can mean empty. Thread-safe.
 *
 * <pre>{@code
 * TreiberStack<Task> work = new TreiberStack<>();
 * work.push(task);              // any thread
 * Task next = work.pop();       // any thread; null when empty
 * }</pre>
 *
 * @param <E> the type of the elements
 */
public final class TreiberStack<E> {

  /** An element and the node below it; never changed once linked. */
  private static final class Node<E> {
    final E item;
    final Node<E> next;

    Node(E item, Node<E> next) {
      this.item = item;
      this.next = next;
    }
  }

  private final AtomicReference<Node<E>> head = new AtomicReference<>();

  /** Creates an empty stack. */
  public TreiberStack() {}

  /**
   * Puts {@code item} on top of the stack. Never blocks.
   *
   * @throws NullPointerException if {@code item} is null
   */
  public void push(E item) {
    Objects.requireNonNull(item, "this stack does not accept null elements");
    Node<E> top;
    Node<E> node;
    do {
      top = head.get();
      node = new Node<>(item, top);
    } while (!head.compareAndSet(top, node));
  }

  /**
   * Removes and returns the top element, or returns {@code null} if the stack is empty. Never
   * blocks.
   */
  public E pop() {
    Node<E> top;
    do {
      top = head.get();
      if (top == null) {
        return null;
      }
    } while (!head.compareAndSet(top, top.next));
    return top.item;
  }

  /** Returns the top element without removing it, or {@code null} if the stack is empty. */
  public E peek() {
    Node<E> top = head.get();
    return top == null ? null : top.item;
  }

  /** Whether the stack holds no element at the moment of the call. */
  public boolean isEmpty() {
    return head.get() == null;
  }

  /**
   * The number of elements, counted by walking the list from the head read at the call. Takes time
   * proportional to the size; exact only while no other thread changes the stack.
   */
  public int size() {
    int size = 0;
    for (Node<E> node = head.get(); node != null; node = node.next) {
      size++;
    }
    return size;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (Node<E> node = head.get(); node != null; node = node.next) {
      text.append(node.item);
      if (node.next != null) {
        text.append(", ");
      }
    }
    return text.append(']').toString();
  }
}
