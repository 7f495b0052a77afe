package io.github.concurrencycourse.queues;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.AbstractQueue;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded {@linkplain BlockingQueue blocking queue} that hands out its elements in priority
 * order, and in insertion order among elements of equal priority: the Java counterpart of Python's
 * {@code queue.PriorityQueue(maxsize)}, which the JDK's unbounded {@link
 * java.util.concurrent.PriorityBlockingQueue} is not.
 *
 * <p>The head of the queue is the <em>least</em> element according to the queue's {@linkplain
 * #comparator() comparator}, or to the elements' {@linkplain Comparable natural ordering} when the
 * comparator is {@code null}; as in Python, a smaller number means a higher priority. Two elements
 * that compare equal leave the queue in the order in which they entered it (FIFO among equals),
 * which neither {@code PriorityBlockingQueue} nor Python's heap-based queue promise. The
 * tie-breaker is a 64-bit insertion counter compared with wrap-around arithmetic, so the order
 * stays FIFO even after the counter overflows, as long as no element waits in the queue while
 * 2<sup>63</sup> others pass through it.
 *
 * <p>The capacity is fixed at construction. {@link #put} waits while the queue is full, {@link
 * #take} while it is empty; {@link #offer(Object)} and {@link #poll()} never wait, and the timed
 * forms wait at most the given time. Waiting methods throw {@link InterruptedException} when the
 * waiting thread is interrupted, leaving the queue unchanged. {@link #clear()}, {@link
 * #remove(Object)} and {@link #drainTo} wake producers waiting for space. This queue does not
 * accept {@code null} elements ({@link NullPointerException}); with natural ordering it does not
 * accept elements that are not {@link Comparable} ({@link ClassCastException}). An insertion whose
 * comparison throws (an element the comparator cannot compare with those queued) leaves the queue
 * unchanged and passes the exception on.
 *
 * <p>The {@link #iterator()} and {@link #toArray()} see the elements in no particular order. The
 * iterator is <em>weakly consistent</em>: it walks a snapshot taken when it was created, never
 * throws {@link java.util.ConcurrentModificationException}, may show elements that have since left
 * the queue, and does not show elements added later; its {@code remove()} removes that exact
 * element (by identity) if it is still queued. To walk the elements in priority order, {@link
 * #drainTo} them into another collection.
 *
 * <p>All operations are thread-safe and guarded by one {@link ReentrantLock} with two conditions
 * (not full, not empty), as in {@link java.util.concurrent.ArrayBlockingQueue}. The bulk operations
 * inherited from {@link AbstractQueue} ({@code addAll}, {@code containsAll}, {@code removeAll},
 * {@code retainAll}, {@code removeIf}) are not atomic. Waiting threads are woken in no guaranteed
 * order (the lock is not fair).
 *
 * <p>Memory consistency effects: as with other concurrent collections, actions in a thread prior to
 * placing an object into a {@code BoundedPriorityBlockingQueue} <a
 * href="https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/concurrent/package-summary.html#MemoryVisibility"><i>happen-before</i></a>
 * actions subsequent to the access or removal of that element from the queue in another thread.
 *
 * @param <E> the type of the elements
 */
public final class BoundedPriorityBlockingQueue<E> extends AbstractQueue<E>
    implements BlockingQueue<E> {

  /** Room allocated at first; the heap grows towards the capacity only if it is used. */
  private static final int INITIAL_ROOM = 16;

  private final int capacity;
  private final Comparator<? super E> comparator;

  private final ReentrantLock lock = new ReentrantLock();

  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();

  /** A binary heap: elements[i] leaves before its children at 2i+1 and 2i+2. */
  @GuardedBy("lock")
  private Object[] elements;

  /** The insertion number of elements[i], the FIFO tie-breaker. */
  @GuardedBy("lock")
  private long[] sequences;

  @GuardedBy("lock")
  private int count;

  @GuardedBy("lock")
  private long nextSequence;

  /**
   * Creates an empty queue that orders its elements by their natural ordering.
   *
   * @param capacity the most elements the queue holds at once
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public BoundedPriorityBlockingQueue(int capacity) {
    this(capacity, null);
  }

  /**
   * Creates an empty queue that orders its elements with {@code comparator}.
   *
   * @param capacity the most elements the queue holds at once
   * @param comparator the order of the elements; {@code null} for their natural ordering
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public BoundedPriorityBlockingQueue(int capacity, Comparator<? super E> comparator) {
    this(capacity, comparator, 0L);
  }

  /**
   * Starts the insertion counter at {@code firstSequence}, so a test can drive it past overflow.
   */
  BoundedPriorityBlockingQueue(int capacity, Comparator<? super E> comparator, long firstSequence) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.comparator = comparator;
    int room = Math.min(capacity, INITIAL_ROOM);
    this.elements = new Object[room];
    this.sequences = new long[room];
    this.nextSequence = firstSequence;
  }

  /** The comparator that orders the elements, or {@code null} for their natural ordering. */
  public Comparator<? super E> comparator() {
    return comparator;
  }

  /**
   * Inserts {@code e} if there is room, without waiting.
   *
   * @return {@code true} if inserted, {@code false} if the queue is full
   * @throws NullPointerException if {@code e} is null
   * @throws ClassCastException if {@code e} cannot be compared with the queue's elements
   */
  @Override
  public boolean offer(E e) {
    checkInsertable(e);
    lock.lock();
    try {
      if (count == capacity) {
        return false;
      }
      enqueue(e);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Inserts {@code e}, waiting as long as necessary for room.
   *
   * @throws InterruptedException if interrupted while waiting; the queue is then unchanged
   * @throws NullPointerException if {@code e} is null
   * @throws ClassCastException if {@code e} cannot be compared with the queue's elements
   */
  @Override
  public void put(E e) throws InterruptedException {
    checkInsertable(e);
    lock.lockInterruptibly();
    try {
      while (count == capacity) {
        notFull.await();
      }
      enqueue(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Inserts {@code e}, waiting at most {@code timeout} for room.
   *
   * @return {@code true} if inserted, {@code false} if the time ran out while the queue was full
   * @throws InterruptedException if interrupted while waiting; the queue is then unchanged
   * @throws NullPointerException if {@code e} or {@code unit} is null
   * @throws ClassCastException if {@code e} cannot be compared with the queue's elements
   */
  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    checkInsertable(e);
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (count == capacity) {
        if (nanos <= 0L) {
          return false;
        }
        nanos = notFull.awaitNanos(nanos);
      }
      enqueue(e);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns the head, or returns {@code null} at once if the queue is empty. */
  @Override
  public E poll() {
    lock.lock();
    try {
      return count == 0 ? null : dequeue();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes and returns the head, waiting as long as necessary for an element.
   *
   * @throws InterruptedException if interrupted while waiting; the queue is then unchanged
   */
  @Override
  public E take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        notEmpty.await();
      }
      return dequeue();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes and returns the head, waiting at most {@code timeout} for an element.
   *
   * @return the head, or {@code null} if the time ran out while the queue was empty
   * @throws InterruptedException if interrupted while waiting; the queue is then unchanged
   */
  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        if (nanos <= 0L) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return dequeue();
    } finally {
      lock.unlock();
    }
  }

  /** Returns the head without removing it, or {@code null} if the queue is empty. */
  @Override
  public E peek() {
    lock.lock();
    try {
      return count == 0 ? null : elementAt(0);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int remainingCapacity() {
    lock.lock();
    try {
      return capacity - count;
    } finally {
      lock.unlock();
    }
  }

  /** The fixed number of elements this queue can hold. */
  public int capacity() {
    return capacity;
  }

  /**
   * Removes one element equal to {@code o}, if present, and wakes a producer waiting for room.
   *
   * @return whether an element was removed
   */
  @Override
  public boolean remove(Object o) {
    if (o == null) {
      return false;
    }
    lock.lock();
    try {
      int i = indexOf(o);
      if (i < 0) {
        return false;
      }
      removeAt(i);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean contains(Object o) {
    if (o == null) {
      return false;
    }
    lock.lock();
    try {
      return indexOf(o) >= 0;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the elements in no particular order. */
  @Override
  public Object[] toArray() {
    lock.lock();
    try {
      return Arrays.copyOf(elements, count);
    } finally {
      lock.unlock();
    }
  }

  /** Returns the elements in no particular order, in {@code a} if they fit. */
  @Override
  @SuppressWarnings("unchecked") // Arrays.copyOf creates an array of a's runtime type
  public <T> T[] toArray(T[] a) {
    lock.lock();
    try {
      if (a.length < count) {
        return (T[]) Arrays.copyOf(elements, count, a.getClass());
      }
      System.arraycopy(elements, 0, a, 0, count);
      if (a.length > count) {
        a[count] = null;
      }
      return a;
    } finally {
      lock.unlock();
    }
  }

  /** Removes every element and wakes every producer waiting for room. */
  @Override
  public void clear() {
    lock.lock();
    try {
      Arrays.fill(elements, 0, count, null);
      count = 0;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves every element, in priority order, to {@code c}.
   *
   * @throws IllegalArgumentException if {@code c} is this queue
   * @throws NullPointerException if {@code c} is null
   * @throws RuntimeException whatever {@code c.add} throws; the element it refused stays at the
   *     head of this queue, and the elements moved before it stay moved
   */
  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  /**
   * Moves at most {@code maxElements} elements, in priority order, to {@code c}.
   *
   * @throws IllegalArgumentException if {@code c} is this queue
   * @throws NullPointerException if {@code c} is null
   * @throws RuntimeException whatever {@code c.add} throws; the element it refused stays at the
   *     head of this queue, and the elements moved before it stay moved
   */
  @Override
  @SuppressWarnings("ReferenceEquality") // draining into this very queue is the error to catch
  public int drainTo(Collection<? super E> c, int maxElements) {
    Objects.requireNonNull(c, "c");
    if (c == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    if (maxElements <= 0) {
      return 0;
    }
    int moved = 0;
    lock.lock();
    try {
      while (moved < maxElements && count > 0) {
        // Add before removing, so an element the target refuses is not lost.
        c.add(elementAt(0));
        removeAt(0);
        moved++;
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns a weakly consistent iterator over a snapshot of the elements, in no particular order.
   * Its {@code remove()} removes the element it last returned, compared by identity, if that
   * element is still in the queue.
   */
  @Override
  public Iterator<E> iterator() {
    return new SnapshotIterator(toArray());
  }

  // ---- the heap; every method below runs with the lock held ----

  private void checkInsertable(E e) {
    Objects.requireNonNull(e, "this queue does not accept null elements");
    if (comparator == null && !(e instanceof Comparable)) {
      throw new ClassCastException(
          e.getClass().getName() + " is not Comparable and the queue has no comparator");
    }
  }

  @GuardedBy("lock")
  @SuppressWarnings("unchecked") // only E is ever stored in elements
  private E elementAt(int i) {
    return (E) elements[i];
  }

  @GuardedBy("lock")
  private void enqueue(E e) {
    if (count == elements.length) {
      grow();
    }
    // Count the element only once it is placed: if the comparator throws, nothing has changed.
    siftUp(count, e, nextSequence);
    count++;
    nextSequence++;
    notEmpty.signal();
  }

  @GuardedBy("lock")
  private E dequeue() {
    E head = elementAt(0);
    removeAt(0);
    return head;
  }

  /** The index of an element equal to {@code o}, or -1. */
  @GuardedBy("lock")
  private int indexOf(Object o) {
    for (int i = 0; i < count; i++) {
      if (o.equals(elements[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Removes elements[i], restores the heap and wakes one producer waiting for room. */
  @GuardedBy("lock")
  private void removeAt(int i) {
    int last = --count;
    Object moved = elements[last];
    long movedSequence = sequences[last];
    elements[last] = null;
    if (i != last && siftDown(i, moved, movedSequence) == i) {
      // It did not sink, so it may belong higher up than the element it replaced.
      siftUp(i, moved, movedSequence);
    }
    notFull.signal();
  }

  @GuardedBy("lock")
  private void grow() {
    int room = elements.length;
    int newRoom = (int) Math.min(capacity, room + (long) Math.max(room >> 1, 1));
    elements = Arrays.copyOf(elements, newRoom);
    sequences = Arrays.copyOf(sequences, newRoom);
  }

  // The sifts move a "hole" rather than swapping, as java.util.PriorityQueue does: one write per
  // level instead of two, and the moving element stays in a local.

  /**
   * Places {@code x} (inserted as number {@code s}) at index k or above, where it belongs. Every
   * comparison is made before anything is moved, so a comparator that throws (an element of the
   * wrong type, say) leaves the heap as it was.
   */
  @GuardedBy("lock")
  private void siftUp(int k, Object x, long s) {
    int target = k;
    while (target > 0) {
      int parent = (target - 1) >>> 1;
      if (!precedes(x, s, elements[parent], sequences[parent])) {
        break;
      }
      target = parent;
    }
    while (k > target) {
      int parent = (k - 1) >>> 1;
      elements[k] = elements[parent];
      sequences[k] = sequences[parent];
      k = parent;
    }
    elements[k] = x;
    sequences[k] = s;
  }

  /** Places {@code x} at index k or below, where it belongs, and returns that index. */
  @GuardedBy("lock")
  private int siftDown(int k, Object x, long s) {
    int n = count;
    int half = n >>> 1;
    while (k < half) {
      int child = 2 * k + 1;
      Object c = elements[child];
      long cs = sequences[child];
      int right = child + 1;
      if (right < n && precedes(elements[right], sequences[right], c, cs)) {
        child = right;
        c = elements[child];
        cs = sequences[child];
      }
      if (!precedes(c, cs, x, s)) {
        break;
      }
      elements[k] = c;
      sequences[k] = cs;
      k = child;
    }
    elements[k] = x;
    sequences[k] = s;
    return k;
  }

  /** Whether {@code a}, inserted as number {@code sa}, leaves the queue before {@code b}. */
  @SuppressWarnings("unchecked") // only E is stored; natural ordering was checked on insertion
  private boolean precedes(Object a, long sa, Object b, long sb) {
    int order =
        comparator != null
            ? comparator.compare((E) a, (E) b)
            : ((Comparable<? super E>) a).compareTo((E) b);
    if (order != 0) {
      return order < 0;
    }
    // Wrap-around comparison: correct across an overflow of nextSequence.
    return sa - sb < 0;
  }

  /** Removes the element at the index where {@code o} (by identity) sits, if it is queued. */
  @SuppressWarnings("ReferenceEquality") // an equal element is another element: compare identity
  private void removeExactly(Object o) {
    lock.lock();
    try {
      for (int i = 0; i < count; i++) {
        if (elements[i] == o) {
          removeAt(i);
          return;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private final class SnapshotIterator implements Iterator<E> {
    private final Object[] snapshot;
    private int cursor;
    private int lastReturned = -1;

    SnapshotIterator(Object[] snapshot) {
      this.snapshot = snapshot;
    }

    @Override
    public boolean hasNext() {
      return cursor < snapshot.length;
    }

    @Override
    @SuppressWarnings("unchecked") // the snapshot holds only elements of type E
    public E next() {
      if (cursor >= snapshot.length) {
        throw new NoSuchElementException();
      }
      lastReturned = cursor;
      return (E) snapshot[cursor++];
    }

    @Override
    public void remove() {
      if (lastReturned < 0) {
        throw new IllegalStateException("next() has not been called since the last remove()");
      }
      removeExactly(snapshot[lastReturned]);
      lastReturned = -1;
    }
  }
}
