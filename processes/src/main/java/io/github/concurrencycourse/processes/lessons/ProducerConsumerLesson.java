package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.processes.ProcessQueue;
import io.github.concurrencycourse.processes.ProcessQueueHost;
import io.github.concurrencycourse.processes.lessons.ProcessQueueLessonCast.Producer;
import io.github.concurrencycourse.processes.lessons.ProcessQueueLessonCast.ProducerWorker;
import io.github.concurrencycourse.processes.lessons.ProcessQueueLessonCast.QueueWorker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * 生产者消费者模型 with processes: producers {@code 1号}, {@code 2号} and {@code 3号} make ten each of 苹果, 蔬菜
 * and 牛奶 in their own JVMs and put them into one {@link ProcessQueue}; consumers {@code 吃货1号} and
 * {@code 吃货2号}, two more JVMs, take and eat them.
 *
 * <p>Run it with {@code ./course run processes.producer-consumer}. A producer makes a food every
 * 0.5 s and a consumer eats one a second, as in the seed. You will see the producers' lines {@code
 * 生产者[1号]生产了[苹果][0]号} and the consumers' {@code 消费者[吃货1号]吃了[苹果0]} interleave, each line prefixed
 * with the name of the process that printed it; once the producers are done, the main process puts
 * one end mark per consumer and prints {@code main process}, and each consumer says {@code
 * 数据处理完毕,准备结束!} when it takes its mark. Every food is eaten exactly once.
 *
 * <p>The seed's end mark is {@code None}. A Java queue holds no null, so the items are {@code
 * Optional<String>} and the mark is {@code Optional.empty()}: it travels as JSON {@code null} and
 * is read back as an empty {@code Optional}. The lesson's parent JVM hosts the queue ({@link
 * ProcessQueueHost}); the children reach it through the socket path they get as a field.
 */
public final class ProducerConsumerLesson extends AbstractLesson {

  /** The type of the queue's items: a food, or the empty end mark. */
  static final TypeReference<Optional<String>> FOOD = new TypeReference<>() {};

  public ProducerConsumerLesson() {
    super(
        "processes.producer-consumer",
        "3 producer and 2 consumer processes share one queue; None becomes Optional.empty()",
        SeedSection.PRODUCER_CONSUMER);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    double pace = context.pace().factor();
    try (ProcessQueueHost host = ProcessQueueHost.start(ProcessQueueLessonCast.CAPACITY);
        ProcessQueueLessonCast cast = new ProcessQueueLessonCast(out)) {
      String socket = host.socketPath().toString();
      List<Producer> producers = ProcessQueueLessonCast.PRODUCERS;
      List<String> consumers = ProcessQueueLessonCast.CONSUMERS;
      List<WorkerProcess> producing = new ArrayList<>();
      List<WorkerProcess> eating = new ArrayList<>();
      // The seed's start order: p1, c1, p2, c2, p3.
      producing.add(cast.start(producers.get(0).name(), new Maker(socket, producers.get(0), pace)));
      eating.add(cast.start(consumers.get(0), new Eater(socket, consumers.get(0), pace)));
      producing.add(cast.start(producers.get(1).name(), new Maker(socket, producers.get(1), pace)));
      eating.add(cast.start(consumers.get(1), new Eater(socket, consumers.get(1), pace)));
      producing.add(cast.start(producers.get(2).name(), new Maker(socket, producers.get(2), pace)));

      for (WorkerProcess producer : producing) {
        ProcessQueueLessonCast.join(producer);
      }
      // One end mark per consumer, as the seed puts two Nones for its two consumers.
      try (ProcessQueue<Optional<String>> queue = ProcessQueue.open(host.socketPath(), FOOD)) {
        for (int i = 0; i < consumers.size(); i++) {
          queue.put(Optional.empty());
        }
      }
      out.println("main process");
      // Python waits for its non-daemon children before it exits; so does the lesson.
      for (WorkerProcess consumer : eating) {
        ProcessQueueLessonCast.join(consumer);
      }
      out.printf("items left in the queue: %d%n", host.size());
    }
  }

  /** The seed's {@code producer(q, p_name, food_name)}, in its own JVM. */
  static final class Maker extends ProducerWorker {
    Maker() {}

    Maker(String socket, Producer producer, double pace) {
      super(socket, producer, pace);
    }

    @Override
    protected void run() throws Exception {
      Pace timing = pace();
      try (ProcessQueue<Optional<String>> queue = ProcessQueue.open(socket(), FOOD)) {
        for (int i = 0; i < ProcessQueueLessonCast.FOODS_PER_PRODUCER; i++) {
          String res = food() + i;
          timing.sleepSeconds(0.5);
          System.out.printf("生产者[%s]生产了[%s][%d]号%n", name(), food(), i);
          queue.put(Optional.of(res));
        }
      }
    }
  }

  /** The seed's {@code consumer(q, c_name)}, in its own JVM. */
  static final class Eater extends QueueWorker {
    Eater() {}

    Eater(String socket, String name, double pace) {
      super(socket, name, pace);
    }

    @Override
    protected void run() throws Exception {
      Pace timing = pace();
      try (ProcessQueue<Optional<String>> queue = ProcessQueue.open(socket(), FOOD)) {
        while (true) {
          Optional<String> res = queue.take();
          if (res.isEmpty()) {
            System.out.println("数据处理完毕,准备结束!");
            break;
          }
          timing.sleepSeconds(1);
          System.out.printf("消费者[%s]吃了[%s]%n", name(), res.get());
        }
      }
    }
  }
}
