package io.github.concurrencycourse.queues.lessons;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed's cast for the two queue lessons, the same in both: producers {@code 1号}, {@code 2号} and
 * {@code 3号} making ten each of 苹果, 蔬菜 and 牛奶, and consumers {@code 吃货1号} and {@code 吃货2号}. Also
 * the producer threads, which the lessons start alike and which differ only in what they do.
 * Immutable and thread-safe.
 */
final class QueueLessonCast {

  /** The seed's {@code p1}, {@code p2}, {@code p3}. */
  static final List<String> PRODUCERS = List.of("1号", "2号", "3号");

  /** What each of {@link #PRODUCERS} makes, in the same order. */
  static final List<String> FOODS = List.of("苹果", "蔬菜", "牛奶");

  /** The seed's {@code c1}, {@code c2}. */
  static final List<String> CONSUMERS = List.of("吃货1号", "吃货2号");

  /** The seed's {@code range(10)}. */
  static final int ITEMS_PER_PRODUCER = 10;

  private QueueLessonCast() {}

  /** What one producer does: the body of the seed's {@code producer(q, p_name, food_name)}. */
  interface Production {
    void produce(String producer, String food) throws InterruptedException;
  }

  /**
   * One unstarted platform thread per producer, named {@code producer-1号} and so on, that runs
   * {@code production} with the producer's name and food. An interrupt, the lesson's way of
   * stopping a thread it must not leave behind, ends the thread with its interrupt status set.
   */
  static List<Thread> producerThreads(Production production) {
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS.size(); p++) {
      String producer = PRODUCERS.get(p);
      String food = FOODS.get(p);
      threads.add(
          Thread.ofPlatform()
              .name("producer-" + producer)
              .unstarted(
                  () -> {
                    try {
                      production.produce(producer, food);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    return threads;
  }
}
