package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.Worker;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The seed's cast for the two queue lessons, and the child JVMs of one run: three producers, each
 * making ten of one food, and two consumers. {@link #close()} kills whatever still runs, so a
 * lesson that returns or throws leaves no process behind. Not thread-safe: one lesson thread uses
 * it.
 */
final class QueueLessonCast implements AutoCloseable {

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

  /** Child JVMs that start fast and stay small: the lessons' children do little work. */
  private static final List<String> SMALL_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m");

  /** How long a child may take for its little job on a busy machine. */
  private static final Duration CHILD_TIME = Duration.ofSeconds(30);

  private final PrintStream out;
  private final List<WorkerProcess> started = new ArrayList<>();

  QueueLessonCast(PrintStream out) {
    this.out = out;
  }

  /** Starts a daemon child called {@code name} whose lines go to the lesson's output. */
  WorkerProcess start(String name, Worker worker) throws IOException {
    WorkerProcess child =
        WorkerLauncher.builder()
            .name(name)
            .daemon(true)
            .jvmOptions(SMALL_JVM)
            .output(WorkerOutput.prefixedLines(out::println))
            .build()
            .start(worker);
    started.add(child);
    return child;
  }

  /**
   * Waits for {@code child} to end and checks that it ended well.
   *
   * @throws TimeoutException if it still runs after 30 s
   * @throws IllegalStateException if it failed
   */
  static void join(WorkerProcess child) throws InterruptedException, TimeoutException {
    if (!child.join(CHILD_TIME)) {
      throw new TimeoutException(child.name() + " still runs after " + CHILD_TIME);
    }
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
    started.forEach(WorkerProcess::close);
  }
}
