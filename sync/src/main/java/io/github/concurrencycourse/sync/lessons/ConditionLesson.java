package io.github.concurrencycourse.sync.lessons;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Beyond the seed: the producer–consumer story of the seed's process chapter, on a bounded buffer
 * built from one lock and two {@link Condition}s, the way {@code ArrayBlockingQueue} is built.
 *
 * <p>Run it with {@code ./course run sync.condition}. Three producers (1号 苹果, 2号 蔬菜, 3号 牛奶) each
 * make ten items, one every half second; two consumers (吃货1号, 吃货2号) eat one a second. The buffer
 * holds three items (the seed's {@code queue.Queue(3)}), so the producers soon find it full and
 * wait on {@code notFull}, and you will see {@code (buffer full, waited)} lines. At the end the
 * lesson prints how many items were eaten (30), the most the buffer ever held (3) and how many
 * times a producer had to wait.
 *
 * <p>Why conditions and not one {@code wait/notifyAll}: producers wait only for space and consumers
 * only for items, so {@code signal()} wakes one thread of the right kind instead of everybody.
 */
public final class ConditionLesson extends AbstractLesson {

  /** The seed's {@code queue.Queue(3)}. */
  public static final int CAPACITY = 3;

  /** Each producer makes this many items, as in the seed. */
  public static final int ITEMS_PER_PRODUCER = 10;

  private static final String END = "<end>";

  /**
   * A bounded first-in-first-out buffer: {@code put} waits while it is full, {@code take} while it
   * is empty. Thread-safe. A teaching version of {@code ArrayBlockingQueue}; use that in real code.
   *
   * @param <E> the element type
   */
  static final class BoundedBuffer<E> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final int capacity;

    @GuardedBy("lock")
    private final Queue<E> items = new ArrayDeque<>();

    @GuardedBy("lock")
    private int mostHeld;

    @GuardedBy("lock")
    private int blockedPuts;

    BoundedBuffer(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("capacity must be positive, got " + capacity);
      }
      this.capacity = capacity;
    }

    /** Adds {@code item}, waiting while the buffer is full; returns whether it had to wait. */
    boolean put(E item) throws InterruptedException {
      Objects.requireNonNull(item, "item");
      lock.lockInterruptibly();
      try {
        boolean waited = false;
        // A loop, not an if: a woken producer may find the space taken by another one already.
        while (items.size() == capacity) {
          if (!waited) {
            blockedPuts++;
            waited = true;
          }
          notFull.await();
        }
        items.add(item);
        mostHeld = Math.max(mostHeld, items.size());
        notEmpty.signal();
        return waited;
      } finally {
        lock.unlock();
      }
    }

    /** Removes the oldest item, waiting while the buffer is empty. */
    E take() throws InterruptedException {
      lock.lockInterruptibly();
      try {
        while (items.isEmpty()) {
          notEmpty.await();
        }
        E item = items.remove();
        notFull.signal();
        return item;
      } finally {
        lock.unlock();
      }
    }

    /** The most items the buffer ever held at once. */
    int mostHeld() {
      lock.lock();
      try {
        return mostHeld;
      } finally {
        lock.unlock();
      }
    }

    /** How many {@code put}s found the buffer full and had to wait. */
    int blockedPuts() {
      lock.lock();
      try {
        return blockedPuts;
      } finally {
        lock.unlock();
      }
    }
  }

  /** What one run of the story produced. */
  record Outcome(List<String> eaten, int mostHeld, int blockedPuts) {}

  public ConditionLesson() {
    super(
        "sync.condition",
        "A bounded buffer from a lock and two Conditions: producers wait for space",
        beyondTheSeedAfter(SeedSection.EVENT));
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    Outcome outcome = story(context.out(), context.pace());
    context
        .out()
        .println(
            outcome.eaten().size()
                + " items eaten; the buffer held at most "
                + outcome.mostHeld()
                + " of "
                + CAPACITY
                + "; producers waited for space "
                + outcome.blockedPuts()
                + " times");
  }

  /** Runs the three producers and two consumers to the end. */
  static Outcome story(PrintStream out, Pace pace) throws InterruptedException {
    BoundedBuffer<String> buffer = new BoundedBuffer<>(CAPACITY);
    List<String> eaten = new ArrayList<>();
    List<Thread> producers = new ArrayList<>();
    List<Thread> consumers = new ArrayList<>();
    try {
      String[][] makers = {{"1号", "苹果"}, {"2号", "蔬菜"}, {"3号", "牛奶"}};
      for (String[] maker : makers) {
        producers.add(
            Thread.ofPlatform()
                .name("producer " + maker[0])
                .start(() -> produce(out, pace, buffer, maker[0], maker[1])));
      }
      for (String eater : List.of("吃货1号", "吃货2号")) {
        consumers.add(
            Thread.ofPlatform()
                .name("consumer " + eater)
                .start(() -> consume(out, pace, buffer, eater, eaten)));
      }
      for (Thread producer : producers) {
        producer.join();
      }
      // One end marker per consumer, as the seed puts one None per consumer.
      for (int i = 0; i < consumers.size(); i++) {
        buffer.put(END);
      }
      for (Thread consumer : consumers) {
        consumer.join();
      }
    } finally {
      LessonThreads.stopAll(producers);
      LessonThreads.stopAll(consumers);
    }
    synchronized (eaten) {
      return new Outcome(List.copyOf(eaten), buffer.mostHeld(), buffer.blockedPuts());
    }
  }

  private static void produce(
      PrintStream out, Pace pace, BoundedBuffer<String> buffer, String name, String food) {
    try {
      for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
        pace.sleepSeconds(0.5);
        String item = food + i;
        boolean waited = buffer.put(item);
        out.println(
            "生产者[" + name + "]生产了[" + item + "]" + (waited ? " (buffer full, waited)" : ""));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void consume(
      PrintStream out, Pace pace, BoundedBuffer<String> buffer, String name, List<String> eaten) {
    try {
      while (true) {
        String item = buffer.take();
        if (item.equals(END)) {
          out.println("消费者[" + name + "] 数据处理完毕,准备结束!");
          return;
        }
        pace.sleepSeconds(1);
        synchronized (eaten) {
          eaten.add(item);
        }
        out.println("消费者[" + name + "]吃了[" + item + "]");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
