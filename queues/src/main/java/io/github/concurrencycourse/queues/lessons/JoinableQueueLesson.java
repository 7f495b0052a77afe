package io.github.concurrencycourse.queues.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.queues.JoinableQueue;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's {@code JoinableQueue}: producers put ten items each and then {@code join()} the queue,
 * which returns only when consumers have called {@code taskDone()} for every item; the consumers
 * are daemons that loop forever, and the program ends once the producers are done.
 *
 * <p>No end marker is needed: when the last producer's {@code join()} returns, every item has been
 * eaten, so the main thread prints {@code main process} and the consumers are only waiting for food
 * that will never come. In Python the process then exits and kills its daemon consumers; a Java
 * lesson returns into a JVM that keeps running, so it interrupts its consumers instead of leaving
 * them blocked in {@code take()}.
 *
 * <p>Run it with {@code ./course run queues.joinable}. You will see the 30 items produced and
 * eaten, each producer report that its {@code join()} returned with nothing unfinished, then {@code
 * main process}. At the seed's pace it takes about 15 s.
 */
public final class JoinableQueueLesson extends AbstractLesson {

  /**
   * What each producer saw when its {@code join()} returned.
   *
   * @param eatenWhenJoined producer name to the number of items eaten at that moment
   * @param unfinishedWhenJoined producer name to the queue's unfinished tasks at that moment
   * @param eaten items eaten in all
   */
  record Report(
      Map<String, Integer> eatenWhenJoined, Map<String, Long> unfinishedWhenJoined, int eaten) {}

  public JoinableQueueLesson() {
    super(
        "queues.joinable",
        "JoinableQueue: producers join until every item is done",
        SeedSection.JOINABLE_QUEUE);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    serve(context);
  }

  /** Runs the seed's scenario and reports what each producer saw when its join returned. */
  Report serve(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Pace pace = context.pace();
    JoinableQueue<String> q = new JoinableQueue<>();
    AtomicInteger eaten = new AtomicInteger();
    ConcurrentHashMap<String, Integer> eatenWhenJoined = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Long> unfinishedWhenJoined = new ConcurrentHashMap<>();

    List<Thread> producers =
        QueueLessonCast.producerThreads(
            (producer, food) -> {
              for (int i = 0; i < QueueLessonCast.ITEMS_PER_PRODUCER; i++) {
                pace.sleepSeconds(0.1);
                out.printf("生产者[%s]生产了[%s][%d]号%n", producer, food, i);
                q.put(food + i);
              }
              q.join();
              eatenWhenJoined.put(producer, eaten.get());
              unfinishedWhenJoined.put(producer, q.unfinishedTasks());
              out.printf(
                  "生产者[%s]: join() returned, unfinished tasks %d%n", producer, q.unfinishedTasks());
            });
    List<Thread> consumers = new ArrayList<>();
    for (String consumer : QueueLessonCast.CONSUMERS) {
      consumers.add(
          Thread.ofPlatform()
              .name("consumer-" + consumer)
              .daemon(true)
              .unstarted(
                  () -> {
                    try {
                      while (true) {
                        String item = q.take();
                        pace.sleepSeconds(1);
                        out.printf("消费者[%s]吃了[%s]%n", consumer, item);
                        eaten.incrementAndGet();
                        q.taskDone();
                      }
                    } catch (InterruptedException e) {
                      // Stopped by the lesson: the daemon's equivalent of the process exiting.
                      Thread.currentThread().interrupt();
                    }
                  }));
    }

    producers.forEach(Thread::start);
    consumers.forEach(Thread::start);
    try {
      for (Thread producer : producers) {
        producer.join();
      }
      out.println("main process");
    } finally {
      LessonThreads.stopAll(producers);
      LessonThreads.stopAll(consumers);
    }
    return new Report(Map.copyOf(eatenWhenJoined), Map.copyOf(unfinishedWhenJoined), eaten.get());
  }
}
