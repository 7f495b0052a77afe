package io.github.concurrencycourse.threads.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.List;

/**
 * 线程 开启方式二: subclass {@link Thread} and override {@code run()}, as the seed's {@code MyThread}
 * does.
 *
 * <p>Run it with {@code ./course run threads.start-subclass}. You will see {@code this is main
 * thread} right after {@code start()}, then {@code 子线程1 is running} and, five seconds later, {@code
 * 子线程1 done}. The name goes to the {@code Thread(String)} constructor, Java's {@code
 * super().__init__(); self.name = name}. Subclassing ties the task to one way of running it; the
 * function style ({@code threads.start-function}) hands the same {@link Runnable} to a platform
 * thread, a virtual thread or a pool, which is why Java code rarely extends {@code Thread}.
 */
public final class StartSubclassLesson extends AbstractLesson {

  public StartSubclassLesson() {
    super(
        "threads.start-subclass",
        "Start a thread by subclassing Thread",
        SeedSection.THREAD_START_SUBCLASS);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    MyThread thread = new MyThread("子线程1", context.out(), context.pace());
    try {
      thread.start();
      context.out().println("this is main thread");
      thread.join();
    } finally {
      LessonThreads.stopAll(List.of(thread));
    }
  }

  /** The seed's {@code MyThread}: the task is the thread's own {@code run()}. */
  static final class MyThread extends Thread {
    private final PrintStream out;
    private final Pace pace;

    MyThread(String name, PrintStream out, Pace pace) {
      super(name);
      this.out = out;
      this.pace = pace;
    }

    @Override
    public void run() {
      out.println(getName() + " is running");
      try {
        pace.sleepSeconds(5);
        out.println(getName() + " done");
      } catch (InterruptedException e) {
        out.println(getName() + " interrupted");
        interrupt();
      }
    }
  }
}
