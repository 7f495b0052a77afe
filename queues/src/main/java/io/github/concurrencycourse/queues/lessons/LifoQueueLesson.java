package io.github.concurrencycourse.queues.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * The seed's {@code queue.LifoQueue(3)}: a bounded blocking stack, which in Java is a {@link
 * LinkedBlockingDeque} with a capacity used from one end only ({@code putFirst} / {@code
 * takeFirst}).
 *
 * <p>Run it with {@code ./course run queues.lifo}. You will see 1 and 2 pushed and taken back as 2
 * then 1, as the seed prints them; then the stack filled to its capacity of 3, a fourth push
 * refused, and the last one in taken first.
 */
public final class LifoQueueLesson extends AbstractLesson {

  public LifoQueueLesson() {
    super("queues.lifo", "queue.LifoQueue(3): a bounded blocking stack", SeedSection.THREAD_QUEUE);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    BlockingDeque<Integer> q = new LinkedBlockingDeque<>(3);
    out.println("q = new LinkedBlockingDeque<>(3)   # queue.LifoQueue(3)");
    q.putFirst(1);
    out.println("q.putFirst(1)");
    q.putFirst(2);
    out.println("q.putFirst(2)");
    out.println(q.takeFirst());
    out.println(q.takeFirst());

    for (int i = 1; i <= 3; i++) {
      q.putFirst(i);
    }
    out.println("q.putFirst(1), (2), (3) -> the stack is full: " + q);
    out.printf("q.offerFirst(4) -> %s   # put(4, block=False): queue.Full%n", q.offerFirst(4));
    out.printf("q.takeFirst()   -> %d      # the last one in comes out first%n", q.takeFirst());
  }
}
