package io.github.concurrencycourse.queues.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.queues.BoundedPriorityBlockingQueue;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

/**
 * The seed's {@code queue.PriorityQueue(3)}: a bounded queue where the smallest number comes out
 * first. The JDK's {@code PriorityBlockingQueue} has no capacity, so this lesson uses the course's
 * {@link BoundedPriorityBlockingQueue}.
 *
 * <p>Run it with {@code ./course run queues.priority}. You will see the seed's three entries {@code
 * (8, 'ssss')}, {@code (4, '44444')}, {@code (9, '9999')} go in, a fourth refused because the queue
 * is full, and the three come out as 4, 8, 9. Then what happens when priorities are equal, with the
 * seed's three values all at priority 4, put in the order {@code 'ssss'}, {@code '44444'}, {@code
 * '9999'}:
 *
 * <ul>
 *   <li>Python compares whole tuples, so equal priorities are ordered by the second element: {@code
 *       '44444'}, {@code '9999'}, {@code 'ssss'}. Java says the same with {@code
 *       Comparator.comparingInt(Entry::priority).thenComparing(Entry::value)}.
 *   <li>Ordering by the priority alone, {@code BoundedPriorityBlockingQueue} hands out equals in
 *       the order they were put: {@code 'ssss'}, {@code '44444'}, {@code '9999'}. A different rule,
 *       chosen on purpose: the queue's own tie-breaker, an insertion counter.
 *   <li>In Python two entries of equal priority whose second elements cannot be compared ({@code
 *       (4, {'a': 1})} and {@code (4, {'b': 2})}) raise {@code TypeError} on the second {@code
 *       put}, and yet the entry is in the queue ({@code heappush} appends before it compares:
 *       {@code qsize()} says 2). The tuple rule over such payloads does not even compile in Java
 *       ({@code thenComparing} wants a {@code Comparable} key); forced through a cast, it throws
 *       {@code ClassCastException} and the queue stays as it was, with one entry. With different
 *       priorities the payloads are never compared, in both languages.
 * </ul>
 */
public final class PriorityQueueLesson extends AbstractLesson {

  /**
   * A Python tuple {@code (priority, value)}; a smaller priority leaves the queue first.
   *
   * @param <V> the type of the value
   */
  record Entry<V>(int priority, V value) {
    @Override
    public String toString() {
      return "(" + priority + ", " + (value instanceof String s ? "'" + s + "'" : value) + ")";
    }
  }

  /** Python's order of {@code (int, str)} tuples: by priority, then by the string. */
  static final Comparator<Entry<String>> TUPLE_ORDER =
      Comparator.<Entry<String>>comparingInt(Entry::priority).thenComparing(Entry::value);

  /** By priority alone: equals leave in insertion order, by the queue's own tie-breaker. */
  static final Comparator<Entry<?>> PRIORITY_ONLY = Comparator.comparingInt(Entry::priority);

  /**
   * Python's tuple order over any payload: by priority, then by the payload, which must be {@link
   * Comparable} when priorities are equal ({@link ClassCastException} otherwise, Python's {@code
   * TypeError}).
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // the unchecked cast is the point: Python's rule
  static final Comparator<Entry<?>> TUPLE_ORDER_UNCHECKED =
      Comparator.<Entry<?>>comparingInt(Entry::priority).thenComparing(e -> (Comparable) e.value());

  /** The seed's three values, all at the same priority, in the seed's order. */
  static final List<Entry<String>> EQUAL_PRIORITIES =
      List.of(new Entry<>(4, "ssss"), new Entry<>(4, "44444"), new Entry<>(4, "9999"));

  public PriorityQueueLesson() {
    super(
        "queues.priority",
        "queue.PriorityQueue(3): a bounded priority queue, and equal priorities",
        SeedSection.THREAD_QUEUE);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    BlockingQueue<Entry<String>> q = new BoundedPriorityBlockingQueue<>(3, TUPLE_ORDER);
    out.println(
        "q = new BoundedPriorityBlockingQueue<>(3, by priority, then value)   #"
            + " queue.PriorityQueue(3)");
    for (Entry<String> e :
        List.of(new Entry<>(8, "ssss"), new Entry<>(4, "44444"), new Entry<>(9, "9999"))) {
      q.put(e);
      out.println("q.put(" + e + ")");
    }
    out.printf(
        "q.offer((1, '1111')) -> %s: the queue is full (a PriorityBlockingQueue would grow)%n",
        q.offer(new Entry<>(1, "1111")));
    for (int i = 0; i < 3; i++) {
      out.println(q.take());
    }

    out.println("-- equal priorities, put in the order " + EQUAL_PRIORITIES);
    out.println(
        "Python compares whole tuples, so equals leave by their second element; in Java"
            + " thenComparing(Entry::value):");
    drainInOrder(new BoundedPriorityBlockingQueue<>(3, TUPLE_ORDER), EQUAL_PRIORITIES)
        .forEach(out::println);
    out.println("by priority alone, BoundedPriorityBlockingQueue keeps equals in insertion order:");
    drainInOrder(new BoundedPriorityBlockingQueue<>(3, PRIORITY_ONLY), EQUAL_PRIORITIES)
        .forEach(out::println);

    out.println("-- payloads that cannot be compared: Python's (4, {'a': 1}), (4, {'b': 2})");
    out.println(putUncomparable(4, 4));
    out.println(putUncomparable(4, 5));
  }

  /**
   * Puts {@code entries} in order into {@code q}, then takes them all out, in the queue's order.
   */
  static <E> List<E> drainInOrder(BlockingQueue<E> q, List<E> entries) throws InterruptedException {
    for (E entry : entries) {
      q.put(entry);
    }
    List<E> out = new ArrayList<>();
    while (!q.isEmpty()) {
      out.add(q.take());
    }
    return out;
  }

  /**
   * Puts two entries whose payloads are maps, which are not {@link Comparable}, into a queue
   * ordered by the tuple rule, and tells what happened.
   */
  static String putUncomparable(int firstPriority, int secondPriority) {
    BlockingQueue<Entry<?>> q = new BoundedPriorityBlockingQueue<>(3, TUPLE_ORDER_UNCHECKED);
    Entry<?> first = new Entry<>(firstPriority, Map.of("a", 1));
    Entry<?> second = new Entry<>(secondPriority, Map.of("b", 2));
    q.add(first);
    try {
      q.add(second);
      return "q.put("
          + first
          + "); q.put("
          + second
          + ") -> both queued: different priorities, the payloads are never compared";
    } catch (ClassCastException e) {
      return "q.put("
          + first
          + "); q.put("
          + second
          + ") -> ClassCastException, and the queue still holds "
          + q.size()
          + " entry (Python: TypeError, and qsize() says 2)";
    }
  }
}
