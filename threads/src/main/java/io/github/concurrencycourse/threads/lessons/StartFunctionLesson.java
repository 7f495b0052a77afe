package io.github.concurrencycourse.threads.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * 线程 开启方式一: start a thread that runs a function, then the same with the Java 21 builders.
 *
 * <p>Run it with {@code ./course run threads.start-function}. You will see {@code main thread}
 * printed right after {@code start()}, while {@code 线程1} is still sleeping its five seconds: the
 * caller does not wait for the thread it starts. The second half starts {@code 线程2} with {@code
 * Thread.ofPlatform()} and {@code 线程3} with {@code Thread.ofVirtual()}; each prints whether it is
 * virtual. The lesson joins every thread before it returns, which the seed leaves to the
 * interpreter's exit.
 */
public final class StartFunctionLesson extends AbstractLesson {

  public StartFunctionLesson() {
    super(
        "threads.start-function",
        "Start a thread with a Runnable, and with Thread.ofPlatform() / Thread.ofVirtual()",
        SeedSection.THREAD_START_FUNCTION);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Pace pace = context.pace();
    List<Thread> started = new ArrayList<>();
    try {
      // The seed's Thread(target=task, args=('线程1',)): a Runnable closes over its arguments.
      Thread first = new Thread(() -> task(out, pace, "线程1"), "线程1");
      started.add(first);
      first.start();
      out.println("main thread");
      first.join();

      out.println("-- the Java 21 builders --");
      started.add(Thread.ofPlatform().name("线程2").start(() -> task(out, pace, "线程2")));
      started.add(Thread.ofVirtual().name("线程3").start(() -> task(out, pace, "线程3")));
      out.println("main thread: started 线程2 (platform) and 线程3 (virtual)");
      for (Thread thread : started) {
        thread.join();
      }
    } finally {
      LessonThreads.stopAll(started);
    }
  }

  private static void task(PrintStream out, Pace pace, String name) {
    out.println(name + " is running (virtual: " + Thread.currentThread().isVirtual() + ")");
    try {
      pace.sleepSeconds(5);
      out.println(name + " done");
    } catch (InterruptedException e) {
      out.println(name + " interrupted");
      Thread.currentThread().interrupt();
    }
  }
}
