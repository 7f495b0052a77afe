package io.github.concurrencycourse.queues.lessons;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.queues.BoundedPriorityBlockingQueue;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;

/**
 * The seed's {@code queue.PriorityQueue(3)}: a bounded queue where the smallest number comes out
 * first. The JDK's {@code PriorityBlockingQueue} has no capacity, so this lesson uses the course's
 * {@link BoundedPriorityBlockingQueue}.
 *
 * <p>Run it with {@code ./course run queues.priority}. You will see the seed's three entries {@code
 * (8, 'ssss')}, {@code (4, '44444')}, {@code (9, '9999')} go in, a fourth refused because the queue
 * is full, and the three come out as 4, 8, 9. Then three entries of equal priority come out in the
 * order they went in, which Python's heap does not promise.
 */
public final class PriorityQueueLesson implements Lesson {

  /** A Python tuple {@code (priority, value)}; a smaller priority leaves the queue first. */
  record Entry(int priority, String value) {
    @Override
    public String toString() {
      return "(" + priority + ", '" + value + "')";
    }
  }

  @Override
  public String id() {
    return "queues.priority";
  }

  @Override
  public String title() {
    return "queue.PriorityQueue(3): a bounded priority queue";
  }

  @Override
  public SeedSection seedSection() {
    return SeedSection.THREAD_QUEUE;
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    BlockingQueue<Entry> q =
        new BoundedPriorityBlockingQueue<>(3, Comparator.comparingInt(Entry::priority));
    out.println(
        "q = new BoundedPriorityBlockingQueue<>(3, by priority)   # queue.PriorityQueue(3)");
    for (Entry e :
        new Entry[] {new Entry(8, "ssss"), new Entry(4, "44444"), new Entry(9, "9999")}) {
      q.put(e);
      out.println("q.put(" + e + ")");
    }
    out.printf(
        "q.offer((1, '1111')) -> %s: the queue is full (a PriorityBlockingQueue would grow)%n",
        q.offer(new Entry(1, "1111")));
    for (int i = 0; i < 3; i++) {
      out.println(q.take());
    }

    out.println("equal priorities leave in insertion order:");
    for (String value : new String[] {"first", "second", "third"}) {
      q.put(new Entry(5, value));
    }
    while (!q.isEmpty()) {
      out.println(q.take());
    }
  }
}
