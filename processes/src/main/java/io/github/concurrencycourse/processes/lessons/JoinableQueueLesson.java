package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.processes.JoinableProcessQueue;
import io.github.concurrencycourse.processes.ProcessQueueHost;
import io.github.concurrencycourse.processes.lessons.ProcessQueueLessonCast.Producer;
import io.github.concurrencycourse.processes.lessons.ProcessQueueLessonCast.ProducerWorker;
import io.github.concurrencycourse.processes.lessons.ProcessQueueLessonCast.QueueWorker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * 作了解的JoinableQueue with processes: the same producers and consumers, but no end marks. Each
 * producer puts its ten foods and then {@link JoinableProcessQueue#join() joins} the queue, which
 * returns only when every food put by anyone has been eaten and acknowledged with {@link
 * JoinableProcessQueue#taskDone() taskDone}. The consumers are daemon processes that never stop by
 * themselves; once the producers have ended, the main process stops them.
 *
 * <p>Run it with {@code ./course run processes.joinable-queue}. A producer makes a food every 0.1 s
 * and a consumer eats one a second, as in the seed. You will see the thirty {@code
 * 生产者[1号]生产了[苹果][0]号} lines come quickly, the {@code 消费者[吃货1号]吃了[苹果0]} lines follow at the
 * consumers' pace, and {@code main process} only after the last food is eaten, followed by the
 * queue's count of unfinished tasks, 0.
 *
 * <p>In the seed the consumers end because they are daemons and the main process exits. The lesson
 * runs inside a longer-lived JVM, so it kills them itself, as Python would at exit. {@code
 * taskDone} is also what makes the queue safe against a consumer that dies: an item it took and did
 * not acknowledge goes back to the queue for the other consumer.
 */
public final class JoinableQueueLesson extends AbstractLesson {

  public JoinableQueueLesson() {
    super(
        "processes.joinable-queue",
        "producers join the queue: they end only when every item has been acknowledged",
        SeedSection.JOINABLE_QUEUE);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    double pace = context.pace().factor();
    try (ProcessQueueHost host = ProcessQueueHost.start(ProcessQueueLessonCast.CAPACITY);
        ProcessQueueLessonCast cast = new ProcessQueueLessonCast(out)) {
      String socket = host.socketPath().toString();
      List<WorkerProcess> producing = new ArrayList<>();
      List<WorkerProcess> eating = new ArrayList<>();
      for (Producer producer : ProcessQueueLessonCast.PRODUCERS) {
        producing.add(cast.start(producer.name(), new Maker(socket, producer, pace)));
      }
      for (String consumer : ProcessQueueLessonCast.CONSUMERS) {
        eating.add(cast.start(consumer, new Eater(socket, consumer, pace)));
      }

      for (WorkerProcess producer : producing) {
        ProcessQueueLessonCast.join(producer);
      }
      out.println("main process");
      out.printf("unfinished tasks: %d%n", host.unfinishedTasks());
      // The consumers are daemons: in the seed they end with the main process.
      for (WorkerProcess consumer : eating) {
        consumer.close();
      }
    }
  }

  /** The seed's {@code producer(q, p_name, food_name)} ending in {@code q.join()}. */
  static final class Maker extends ProducerWorker {
    Maker() {}

    Maker(String socket, Producer producer, double pace) {
      super(socket, producer, pace);
    }

    @Override
    protected void run() throws Exception {
      Pace timing = pace();
      try (JoinableProcessQueue<String> queue = JoinableProcessQueue.open(socket(), String.class)) {
        for (int i = 0; i < ProcessQueueLessonCast.FOODS_PER_PRODUCER; i++) {
          String res = food() + i;
          timing.sleepSeconds(0.1);
          System.out.printf("生产者[%s]生产了[%s][%d]号%n", name(), food(), i);
          queue.put(res);
        }
        queue.join();
      }
    }
  }

  /** The seed's {@code consumer(q, c_name)} that calls {@code q.task_done()} after each food. */
  static final class Eater extends QueueWorker {
    Eater() {}

    Eater(String socket, String name, double pace) {
      super(socket, name, pace);
    }

    @Override
    protected void run() throws Exception {
      Pace timing = pace();
      try (JoinableProcessQueue<String> queue = JoinableProcessQueue.open(socket(), String.class)) {
        while (true) {
          String res = queue.take();
          timing.sleepSeconds(1);
          System.out.printf("消费者[%s]吃了[%s]%n", name(), res);
          queue.taskDone();
        }
      }
    }
  }
}
