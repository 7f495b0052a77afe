package io.github.concurrencycourse.queues;

import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BlockingQueue} that counts unfinished tasks, with the semantics of Python's {@code
 * queue.Queue.task_done()} / {@code join()} (and {@code multiprocessing.JoinableQueue}): every
 * element inserted is one unfinished task; a consumer calls {@link #taskDone()} when it has
 * finished with an element it retrieved; {@link #join()} waits until no task is unfinished.
 *
 * <p>The elements are held by a delegate {@code BlockingQueue} chosen at construction (unbounded
 * FIFO, bounded FIFO, or any other, such as a {@link BoundedPriorityBlockingQueue}), which decides
 * order, capacity and the blocking behaviour of every method. The count of unfinished tasks moves
 * as follows:
 *
 * <ul>
 *   <li><b>Insertion</b> ({@code add}, {@code offer}, timed {@code offer}, {@code put}, {@code
 *       addAll}): each element that enters the queue adds one unfinished task. The task is counted
 *       from the moment the insertion begins, so a consumer can never finish it before it is
 *       counted; an insertion that does not happen ({@code offer} returns {@code false}, the time
 *       runs out, the thread is interrupted, or the delegate throws) withdraws its count again.
 *   <li><b>Retrieval</b> ({@code poll}, {@code take}, {@code remove()}, {@code drainTo}) does not
 *       change the count: whoever retrieves an element owes one {@code taskDone()} for it, also for
 *       every element moved by {@code drainTo}.
 *   <li><b>Discarding</b> ({@code remove(Object)}, {@code clear}, {@code removeAll}, {@code
 *       retainAll}, {@code removeIf}, the iterator's {@code remove}) finishes the task of each
 *       element removed, because no consumer will ever see it.
 *   <li>{@link #taskDone()} finishes one task and throws {@link IllegalStateException} if none is
 *       unfinished, as Python raises {@code ValueError}. When an excess call races with an
 *       insertion that has begun but not ended, it may take that insertion's count instead; the
 *       excess is then reported by a later call, at the latest by the last consumer's {@code
 *       taskDone()}.
 * </ul>
 *
 * <p>{@link #join()} therefore never returns while an element that was inserted has neither been
 * finished with {@code taskDone()} nor discarded. Waiting methods throw {@link
 * InterruptedException} when the thread is interrupted. The delegate must not be used directly once
 * it is given to this queue, or the count no longer matches its contents.
 *
 * <p>Memory consistency effects: actions in a thread prior to inserting an element
 * <i>happen-before</i> actions subsequent to its retrieval in another thread (the delegate's
 * guarantee), and actions in a thread prior to calling {@code taskDone()} <i>happen-before</i>
 * actions following a {@code join()} that returns because that call finished the last task.
 *
 * @param <E> the type of the elements
 */
public final class JoinableQueue<E> extends AbstractQueue<E> implements BlockingQueue<E> {

  private final BlockingQueue<E> delegate;

  /**
   * Unfinished tasks, including insertions in progress. Negative only after an excess {@code
   * taskDone()} raced with a failed insertion. Atomic, so producers and consumers share no lock.
   */
  private final AtomicLong unfinished = new AtomicLong();

  /** Held only to wait for, and to announce, the moment no task is unfinished. */
  private final ReentrantLock joinLock = new ReentrantLock();

  private final Condition allDone = joinLock.newCondition();

  /** Creates an unbounded FIFO joinable queue, like Python's {@code JoinableQueue()}. */
  public JoinableQueue() {
    this(new LinkedBlockingQueue<>());
  }

  /**
   * Creates a bounded FIFO joinable queue, like Python's {@code JoinableQueue(maxsize)}: {@code
   * put} waits while {@code capacity} elements are queued.
   *
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public JoinableQueue(int capacity) {
    this(new ArrayBlockingQueue<>(capacity));
  }

  /**
   * Creates a joinable queue that keeps its elements in {@code delegate}, which must be empty and
   * must not be used directly afterwards.
   *
   * @throws NullPointerException if {@code delegate} is null
   * @throws IllegalArgumentException if {@code delegate} is not empty or is a joinable queue
   */
  public JoinableQueue(BlockingQueue<E> delegate) {
    Objects.requireNonNull(delegate, "delegate");
    if (!delegate.isEmpty()) {
      throw new IllegalArgumentException(
          "the delegate must be empty, it holds " + delegate.size() + " elements");
    }
    if (delegate instanceof JoinableQueue) {
      throw new IllegalArgumentException("the delegate is itself a JoinableQueue");
    }
    this.delegate = delegate;
  }

  // ---- Python's task accounting ----

  /**
   * Marks one task finished: a consumer calls it once for every element it retrieved, after it has
   * finished with it. Finishing the last unfinished task wakes every thread in {@link #join()}.
   *
   * @throws IllegalStateException if no task is unfinished (called more times than elements were
   *     inserted)
   */
  public void taskDone() {
    long before;
    do {
      before = unfinished.get();
      if (before <= 0L) {
        throw new IllegalStateException(
            "taskDone() called more times than elements were put in the queue");
      }
    } while (!unfinished.compareAndSet(before, before - 1L));
    if (before == 1L) {
      signalAllDone();
    }
  }

  /**
   * Waits until no task is unfinished: every element inserted has been finished with {@link
   * #taskDone()} or discarded. Returns at once if none is.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void join() throws InterruptedException {
    joinLock.lockInterruptibly();
    try {
      while (unfinished.get() > 0L) {
        allDone.await();
      }
    } finally {
      joinLock.unlock();
    }
  }

  /**
   * Waits at most {@code timeout} until no task is unfinished.
   *
   * @return {@code true} if no task is unfinished, {@code false} if the time ran out first
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    joinLock.lockInterruptibly();
    try {
      while (unfinished.get() > 0L) {
        if (nanos <= 0L) {
          return false;
        }
        nanos = allDone.awaitNanos(nanos);
      }
      return true;
    } finally {
      joinLock.unlock();
    }
  }

  /**
   * The number of unfinished tasks at the moment of the call: Python's {@code unfinished_tasks}.
   */
  public long unfinishedTasks() {
    return unfinished.get();
  }

  // ---- insertion: count first, withdraw if nothing was inserted ----

  @Override
  public boolean offer(E e) {
    Objects.requireNonNull(e, "this queue does not accept null elements");
    unfinished.incrementAndGet();
    boolean inserted = false;
    try {
      inserted = delegate.offer(e);
      return inserted;
    } finally {
      if (!inserted) {
        finish(1);
      }
    }
  }

  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(e, "this queue does not accept null elements");
    unfinished.incrementAndGet();
    boolean inserted = false;
    try {
      inserted = delegate.offer(e, timeout, unit);
      return inserted;
    } finally {
      if (!inserted) {
        finish(1);
      }
    }
  }

  @Override
  public void put(E e) throws InterruptedException {
    Objects.requireNonNull(e, "this queue does not accept null elements");
    unfinished.incrementAndGet();
    boolean inserted = false;
    try {
      delegate.put(e);
      inserted = true;
    } finally {
      if (!inserted) {
        finish(1);
      }
    }
  }

  // ---- retrieval: the count is unchanged until taskDone() ----

  @Override
  public E poll() {
    return delegate.poll();
  }

  @Override
  public E take() throws InterruptedException {
    return delegate.take();
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.poll(timeout, unit);
  }

  /** Moves every available element to {@code c}; each one moved still owes a {@code taskDone()}. */
  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  /** Moves up to {@code maxElements} elements to {@code c}; each owes a {@code taskDone()}. */
  @Override
  @SuppressWarnings("ReferenceEquality") // draining into this very queue is the error to catch
  public int drainTo(Collection<? super E> c, int maxElements) {
    if (c == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    return delegate.drainTo(c, maxElements);
  }

  // ---- discarding: the removed elements' tasks are finished ----

  /** Removes one element equal to {@code o} and finishes its task. */
  @Override
  public boolean remove(Object o) {
    boolean removed = delegate.remove(o);
    if (removed) {
      finish(1);
    }
    return removed;
  }

  /** Removes every element and finishes their tasks. */
  @Override
  public void clear() {
    List<E> discarded = new ArrayList<>();
    delegate.drainTo(discarded);
    finish(discarded.size());
  }

  /**
   * Returns the delegate's iterator (weakly consistent for the JDK's blocking queues); its {@code
   * remove()} finishes the removed element's task.
   */
  @Override
  public Iterator<E> iterator() {
    Iterator<E> elements = delegate.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return elements.hasNext();
      }

      @Override
      public E next() {
        return elements.next();
      }

      @Override
      public void remove() {
        elements.remove();
        finish(1);
      }
    };
  }

  // ---- views of the delegate ----

  @Override
  public E peek() {
    return delegate.peek();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public int remainingCapacity() {
    return delegate.remainingCapacity();
  }

  @Override
  public boolean contains(Object o) {
    return delegate.contains(o);
  }

  @Override
  public Object[] toArray() {
    return delegate.toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return delegate.toArray(a);
  }

  @Override
  public String toString() {
    return delegate + " (unfinished tasks: " + unfinished.get() + ")";
  }

  /** Finishes {@code n} tasks whose elements will never reach a consumer. */
  private void finish(int n) {
    if (n > 0 && unfinished.addAndGet(-n) <= 0L) {
      signalAllDone();
    }
  }

  private void signalAllDone() {
    joinLock.lock();
    try {
      allDone.signalAll();
    } finally {
      joinLock.unlock();
    }
  }
}
