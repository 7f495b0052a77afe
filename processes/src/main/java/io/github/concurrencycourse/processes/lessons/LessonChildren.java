package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.Worker;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child JVMs of one lesson run. Their output, prefixed with their names, goes to the lesson's
 * output as it arrives. {@link #close()} kills whatever still runs, so a lesson that returns or
 * throws leaves no process behind. Thread-safe.
 */
final class LessonChildren implements AutoCloseable {

  /** Child JVMs that start fast and stay small: a lesson's children do little work. */
  static final List<String> SMALL_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k");

  /** How long a child may take to do a lesson's little job on a busy machine. */
  static final Duration CHILD_TIME = Duration.ofSeconds(60);

  private final PrintStream out;
  private final List<WorkerProcess> started = new CopyOnWriteArrayList<>();
  private final ReentrantLock linesLock = new ReentrantLock();
  private final List<String> lines = new ArrayList<>();

  LessonChildren(PrintStream out) {
    this.out = out;
  }

  /**
   * Starts a child called {@code name} that runs {@code task} with {@code arguments}, and keeps it
   * so that {@link #close()} ends it: daemon, so it dies with this JVM however that dies; small;
   * its output read into this group.
   *
   * @throws IOException if the child JVM cannot be started
   */
  WorkerProcess start(String name, Class<? extends WorkerTask> task, String... arguments)
      throws IOException {
    return track(launcher(name).start(task, arguments));
  }

  /**
   * Starts a child called {@code name} that runs {@code worker}, as {@link #start(String, Class,
   * String...)} does.
   *
   * @throws IOException if the child JVM cannot be started
   */
  WorkerProcess start(String name, Worker worker) throws IOException {
    return track(launcher(name).start(worker));
  }

  private WorkerLauncher launcher(String name) {
    return WorkerLauncher.builder()
        .name(name)
        .daemon(true)
        .jvmOptions(SMALL_JVM)
        .output(WorkerOutput.prefixedLines(this::accept))
        .build();
  }

  private WorkerProcess track(WorkerProcess child) {
    started.add(child);
    return child;
  }

  /**
   * Joins every child started so far.
   *
   * @throws TimeoutException if a child still runs after {@link #CHILD_TIME}
   */
  void joinAll() throws InterruptedException, TimeoutException {
    for (WorkerProcess child : started) {
      join(child);
    }
  }

  /**
   * Joins {@code child}.
   *
   * @throws TimeoutException if it still runs after {@link #CHILD_TIME}
   */
  static void join(WorkerProcess child) throws InterruptedException, TimeoutException {
    if (!child.join(CHILD_TIME)) {
      throw new TimeoutException(child.name() + " still runs after " + CHILD_TIME);
    }
  }

  /** Whether any child started so far still runs. */
  boolean anyAlive() {
    return started.stream().anyMatch(WorkerProcess::isAlive);
  }

  /** The children started so far. */
  List<WorkerProcess> started() {
    return List.copyOf(started);
  }

  /** Every line received so far, in the order received. */
  List<String> lines() {
    linesLock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      linesLock.unlock();
    }
  }

  /** Kills every child that still runs and waits for it to exit. */
  @Override
  public void close() {
    for (WorkerProcess child : started) {
      child.close();
    }
  }

  /** The lesson's pace as a child's argument. */
  static String paceArgument(Pace pace) {
    return Double.toString(pace.factor());
  }

  /** The pace a child received through {@link #paceArgument}. */
  static Pace pace(String argument) {
    return new Pace(Double.parseDouble(argument));
  }

  private void accept(String line) {
    out.println(line);
    linesLock.lock();
    try {
      lines.add(line);
    } finally {
      linesLock.unlock();
    }
  }
}
