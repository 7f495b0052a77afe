package io.github.concurrencycourse.threads.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * 线程的其他属性: a thread's name, the current thread, every live thread, the active count, {@code
 * isAlive}, {@code join}, and what the daemon flag changes when the JVM exits.
 *
 * <p>Run it with {@code ./course run threads.attributes}. You will see {@code 子线程1 is running}
 * printed by the thread itself through {@code Thread.currentThread().getName()}; then the main
 * thread renames it to {@code 儿子线程1} (the seed's commented-out {@code setName}), renames itself to
 * {@code 主线程} (the seed's {@code currentThread().setName('主线程')}), lists the live threads of its
 * group under both new names (the seed's {@code enumerate()}), prints the active count, takes its
 * own name back, and prints {@code isAlive() = true}; the worker finishes under its new name and
 * after {@code join()} it is {@code isAlive() = false}. Last, two child JVMs run {@link
 * DaemonAtExit}: the one whose worker is a daemon exits as soon as {@code main} returns, without
 * {@code worker done}; the other waits for its worker.
 *
 * <p>The two threads take turns through latches (the worker has printed its first line before it is
 * renamed, and waits for the main thread to finish looking at it before it goes on), so every line
 * is the same on every run, not a matter of timing.
 */
public final class AttributesLesson extends AbstractLesson {

  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(30);

  /** What the seed renames its main thread to. */
  static final String MAIN_THREAD_NAME = "主线程";

  public AttributesLesson() {
    super(
        "threads.attributes",
        "Thread name, current thread, live threads, isAlive, join, daemon",
        SeedSection.THREAD_ATTRIBUTES);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException, IOException {
    PrintStream out = context.out();
    Pace pace = context.pace();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch inspected = new CountDownLatch(1);
    Thread worker =
        new Thread(
            () -> {
              out.println(Thread.currentThread().getName() + " is running");
              running.countDown();
              try {
                inspected.await();
                pace.sleepSeconds(2);
                out.println(Thread.currentThread().getName() + " is done");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "子线程1");
    try {
      worker.start();
      running.await();
      worker.setName("儿子线程1");
      out.println("main: renamed the worker to " + worker.getName());
      inspectAsMainThread(out);
      out.println("main: worker.isAlive() = " + worker.isAlive());
      inspected.countDown();
      worker.join();
      out.println("main: after join, worker.isAlive() = " + worker.isAlive());
    } finally {
      inspected.countDown();
      LessonThreads.stopAll(List.of(worker));
    }

    long workerMillis = Math.max(1, pace.seconds(2).toMillis());
    out.println("-- a daemon worker: the JVM exits without it --");
    runChild(out, "daemon", workerMillis);
    out.println("-- a non-daemon worker: the JVM waits for it --");
    runChild(out, "non-daemon", workerMillis);
  }

  /**
   * The seed's {@code currentThread().setName('主线程')}: the calling thread renames itself, looks at
   * itself and its group under that name, and takes its own name back, since it belongs to whoever
   * runs the lesson.
   */
  private static void inspectAsMainThread(PrintStream out) {
    Thread self = Thread.currentThread();
    String ownName = self.getName();
    try {
      self.setName(MAIN_THREAD_NAME);
      out.println("main: Thread.currentThread().setName(\"" + MAIN_THREAD_NAME + "\")");
      out.println("main: Thread.currentThread().getName() = " + Thread.currentThread().getName());
      out.println("main: live threads of this group (enumerate) = " + liveThreadNames());
      out.println("main: Thread.activeCount() = " + Thread.activeCount() + " (an estimate)");
    } finally {
      self.setName(ownName);
    }
    out.println("main: its own name given back: " + Thread.currentThread().getName());
  }

  /** The names of the live threads in the caller's thread group, like Python's enumerate(). */
  private static List<String> liveThreadNames() {
    // enumerate() fills at most the array's length; leave room for threads started meanwhile.
    Thread[] threads = new Thread[Thread.activeCount() + 8];
    int count = Thread.enumerate(threads);
    return Arrays.stream(threads, 0, count).map(Thread::getName).sorted().toList();
  }

  // A plain child process, not common's WorkerLauncher: a worker's JVM ends with System.exit once
  // its task returns, which would stop a non-daemon thread as well and hide the very difference
  // shown here; and a daemon worker there means one that dies with its parent, not a daemon thread.
  private static void runChild(PrintStream out, String mode, long workerMillis)
      throws IOException, InterruptedException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                Objects.requireNonNull(System.getProperty("java.class.path")),
                DaemonAtExit.class.getName(),
                mode,
                Long.toString(workerMillis))
            .redirectErrorStream(true)
            .start();
    try {
      child.getOutputStream().close();
      // The child prints a few lines, far less than a pipe holds, so waiting first cannot block it.
      if (!child.waitFor(CHILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the " + mode + " child JVM did not exit");
      }
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      output.lines().forEach(line -> out.println("  child: " + line));
      out.println("  child exit code: " + child.exitValue());
    } finally {
      child.destroyForcibly();
    }
  }
}
