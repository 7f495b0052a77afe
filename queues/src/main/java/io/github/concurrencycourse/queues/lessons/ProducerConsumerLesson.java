package io.github.concurrencycourse.queues.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The seed's producer-consumer model: three producers make ten items each (apples, vegetables and
 * milk), two consumers eat them from one queue, and one end marker per consumer tells it to stop.
 *
 * <p>Python puts {@code None} as the end marker; Java's queues refuse {@code null}, so the queue
 * holds a sealed {@link Plate}: either {@link Food} or the {@link End} marker, and the consumer's
 * {@code switch} must handle both. As in the seed, the markers go in only after every producer has
 * finished, so no food is left behind a marker.
 *
 * <p>Run it with {@code ./course run queues.producer-consumer}. You will see the producers' lines
 * ({@code 生产者[1号]生产了[苹果][0]号}) interleaved with the consumers' ({@code 消费者[吃货2号]吃了[苹果0]}), {@code
 * main process} once the markers are in, then each consumer's {@code 数据处理完毕,准备结束!}. At the seed's
 * pace it takes about 15 s.
 */
public final class ProducerConsumerLesson extends AbstractLesson {

  /** What travels through the queue: food, or the marker that tells a consumer to stop. */
  sealed interface Plate permits Food, End {}

  /** One item of food, such as {@code 苹果3}. */
  record Food(String name, int number) implements Plate {
    @Override
    public String toString() {
      return name + number;
    }
  }

  /** The end marker, Python's {@code None}: one per consumer. */
  enum End implements Plate {
    MARKER
  }

  /**
   * What happened: the items each consumer ate, in order, and what was left in the queue.
   *
   * @param eatenBy consumer name to the items it ate
   * @param leftInQueue elements still queued after every consumer stopped
   */
  record Meal(Map<String, List<String>> eatenBy, int leftInQueue) {}

  public ProducerConsumerLesson() {
    super(
        "queues.producer-consumer",
        "Producer-consumer: 3 producers, 2 consumers, one end marker each",
        SeedSection.PRODUCER_CONSUMER);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    serve(context);
  }

  /** Runs the seed's scenario and reports who ate what. */
  Meal serve(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Pace pace = context.pace();
    BlockingQueue<Plate> q = new LinkedBlockingQueue<>();

    List<Thread> producers =
        QueueLessonCast.producerThreads(
            (producer, food) -> {
              for (int i = 0; i < QueueLessonCast.ITEMS_PER_PRODUCER; i++) {
                pace.sleepSeconds(0.5);
                out.printf("生产者[%s]生产了[%s][%d]号%n", producer, food, i);
                q.put(new Food(food, i));
              }
            });

    Map<String, List<String>> eatenBy = new LinkedHashMap<>();
    List<Thread> consumers = new ArrayList<>();
    for (String consumer : QueueLessonCast.CONSUMERS) {
      List<String> eaten = Collections.synchronizedList(new ArrayList<>());
      eatenBy.put(consumer, eaten);
      consumers.add(
          Thread.ofPlatform()
              .name("consumer-" + consumer)
              .unstarted(() -> consume(q, consumer, eaten, out, pace)));
    }

    // The seed's start order: p1, c1, p2, c2, p3.
    producers.get(0).start();
    consumers.get(0).start();
    producers.get(1).start();
    consumers.get(1).start();
    producers.get(2).start();
    try {
      for (Thread producer : producers) {
        producer.join();
      }
      for (int i = 0; i < consumers.size(); i++) {
        q.put(End.MARKER);
      }
      out.println("main process");
      for (Thread consumer : consumers) {
        consumer.join();
      }
    } finally {
      LessonThreads.stopAll(producers);
      LessonThreads.stopAll(consumers);
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    eatenBy.forEach((name, eaten) -> copy.put(name, List.copyOf(eaten)));
    return new Meal(copy, q.size());
  }

  private static void consume(
      BlockingQueue<Plate> q, String consumer, List<String> eaten, PrintStream out, Pace pace) {
    try {
      while (true) {
        switch (q.take()) {
          case Food food -> {
            pace.sleepSeconds(1);
            out.printf("消费者[%s]吃了[%s]%n", consumer, food);
            eaten.add(food.toString());
          }
          case End end -> {
            out.println("数据处理完毕,准备结束!");
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
