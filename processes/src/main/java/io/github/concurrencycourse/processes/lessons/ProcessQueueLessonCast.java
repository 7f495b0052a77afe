package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.Worker;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The seed's cast for the two queue lessons, and the child JVMs of one run: three producers, each
 * making ten of one food, and two consumers. {@link #close()} kills whatever still runs, so a
 * lesson that returns or throws leaves no process behind. Not thread-safe: one lesson thread uses
 * it.
 *
 * <p>What a producer or consumer child gets from its parent is the same in both lessons, as the
 * seed passes the same arguments to both versions of its functions: {@link ProducerWorker} and
 * {@link QueueWorker} carry it, and each lesson's subclass says what the child does with it.
 */
final class ProcessQueueLessonCast implements AutoCloseable {

  /** A producer: its name and the food it makes. */
  record Producer(String name, String food) {}

  /** The seed's {@code p1}, {@code p2}, {@code p3}. */
  static final List<Producer> PRODUCERS =
      List.of(new Producer("1号", "苹果"), new Producer("2号", "蔬菜"), new Producer("3号", "牛奶"));

  /** The seed's {@code c1}, {@code c2}. */
  static final List<String> CONSUMERS = List.of("吃货1号", "吃货2号");

  /** The seed's {@code range(10)}. */
  static final int FOODS_PER_PRODUCER = 10;

  /**
   * Room for every food, as the seed's unbounded queue has: the lessons show order, not
   * backpressure.
   */
  static final int CAPACITY = PRODUCERS.size() * FOODS_PER_PRODUCER;

  private final LessonChildren children;

  ProcessQueueLessonCast(PrintStream out) {
    this.children = new LessonChildren(out);
  }

  /** Starts a daemon child called {@code name} whose lines go to the lesson's output. */
  WorkerProcess start(String name, Worker worker) throws IOException {
    return children.start(name, worker);
  }

  /**
   * Waits for {@code child} to end and checks that it ended well.
   *
   * @throws TimeoutException if it still runs after {@link LessonChildren#CHILD_TIME}
   * @throws IllegalStateException if it failed
   */
  static void join(WorkerProcess child) throws InterruptedException, TimeoutException {
    LessonChildren.join(child);
    if (child.exitCode().orElse(-1) != 0) {
      throw new IllegalStateException(
          child.name()
              + " ended with exit code "
              + child.exitCode().orElse(-1)
              + child.failure().map(f -> ": " + f).orElse(""));
    }
  }

  @Override
  public void close() {
    children.close();
  }

  /**
   * What every child of the queue lessons gets from its parent, as JSON: the socket of the queue,
   * its name (the seed's {@code p_name} or {@code c_name}) and the lesson's pace. That is all the
   * seed's {@code consumer(q, c_name)} gets; a producer also gets its food ({@link
   * ProducerWorker}).
   */
  abstract static class QueueWorker extends Worker {
    private String socket;
    private String name;
    private double pace;

    /** For the child JVM, which fills the fields from JSON. */
    QueueWorker() {}

    QueueWorker(String socket, String name, double pace) {
      this.socket = socket;
      this.name = name;
      this.pace = pace;
    }

    /** The socket of the queue the lesson's parent JVM hosts. */
    final Path socket() {
      return Path.of(socket);
    }

    /** The seed's {@code p_name} or {@code c_name}. */
    final String name() {
      return name;
    }

    /** The lesson's pace, for the seed's sleeps. */
    final Pace pace() {
      return new Pace(pace);
    }
  }

  /**
   * What the seed's {@code producer(q, p_name, food_name)} gets: a {@link QueueWorker}'s arguments
   * and the food it makes.
   */
  abstract static class ProducerWorker extends QueueWorker {
    private String food;

    /** For the child JVM, which fills the fields from JSON. */
    ProducerWorker() {}

    ProducerWorker(String socket, Producer producer, double pace) {
      super(socket, producer.name(), pace);
      this.food = producer.food();
    }

    /** The seed's {@code food_name}. */
    final String food() {
      return food;
    }
  }
}
