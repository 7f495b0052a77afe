package io.github.concurrencycourse.queues.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The seed's {@code queue.Queue(3)}: a bounded FIFO queue, and what each way of putting and getting
 * does when the queue is full or empty.
 *
 * <p>Run it with {@code ./course run queues.fifo}. You will see three elements go in; a fourth
 * {@code offer} with a timeout wait (5 s of seed time) and give up with {@code false} where Python
 * raises {@code queue.Full}; {@code offer} without a timeout and {@code add} fail at once; the
 * elements come out in the order they went in; and on the empty queue {@code poll()} returns {@code
 * null} (Python's {@code get_nowait()} raises {@code queue.Empty}) while {@code remove()} throws.
 */
public final class FifoQueueLesson extends AbstractLesson {

  public FifoQueueLesson() {
    super(
        "queues.fifo", "queue.Queue(3): a bounded FIFO, full and empty", SeedSection.THREAD_QUEUE);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    BlockingQueue<String> q = new ArrayBlockingQueue<>(3);
    out.println("q = new ArrayBlockingQueue<>(3)              # queue.Queue(3)");
    for (String e : new String[] {"asd", "asd2", "asd3"}) {
      q.put(e);
      out.printf("q.put(\"%s\")  -> size %d, room %d%n", e, q.size(), q.remainingCapacity());
    }

    Duration timeout = context.pace().seconds(5);
    long start = System.nanoTime();
    boolean accepted = q.offer("asd4", timeout.toNanos(), TimeUnit.NANOSECONDS);
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    out.printf(
        "q.offer(\"asd4\", %d ms) -> %s after waiting %d ms   # put('asd4', timeout=5): queue.Full%n",
        timeout.toMillis(), accepted, waitedMillis);
    out.printf(
        "q.offer(\"asd4\")        -> %s at once          # put('asd4', block=False): queue.Full%n",
        q.offer("asd4"));
    try {
      q.add("asd4");
    } catch (IllegalStateException full) {
      out.println("q.add(\"asd4\")          -> IllegalStateException: " + full.getMessage());
    }

    out.printf("q.poll()  -> %s                            # get_nowait()%n", q.poll());
    out.printf("q.take()  -> %s                           # get()%n", q.take());
    out.printf("q.take()  -> %s                           # get()%n", q.take());
    out.printf("q.poll()  -> %s on the empty queue        # get_nowait(): queue.Empty%n", q.poll());
    Duration getTimeout = context.pace().seconds(1);
    out.printf(
        "q.poll(%d ms) -> %s after the wait         # get(timeout=1): queue.Empty%n",
        getTimeout.toMillis(), q.poll(getTimeout.toNanos(), TimeUnit.NANOSECONDS));
    try {
      q.remove();
    } catch (NoSuchElementException empty) {
      out.println("q.remove() -> NoSuchElementException on the empty queue");
    }
  }
}
