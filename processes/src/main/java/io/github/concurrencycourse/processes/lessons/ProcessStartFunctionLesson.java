package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.List;

/**
 * 开启并发进程 方式一: {@code Process(target=task, args=('子进程1',)).start()}, a task class run in a child
 * JVM.
 *
 * <p>Run it with {@code ./course run processes.start-function}. You will see the parent's pid and
 * thread, then {@code main Process} at once, while the child JVM is still starting: {@code start}
 * does not wait for the task. Then the child's own lines, prefixed {@code [子进程1]}, with a pid of
 * its own and its main thread named {@code 子进程1}; five seconds later (at the seed's pace) {@code
 * 子进程1 done}, and the parent's note that the child exited with code 0. The lesson joins the child
 * before it returns, which the seed leaves to the interpreter's exit.
 *
 * <p>A Java lambda cannot be named in another JVM, so the task travels as a class name, its
 * arguments as strings. Python needs this process for CPU parallelism (its threads share one
 * interpreter lock); Java threads already run in parallel, so in Java a process buys isolation
 * instead: a crash, a leak or a {@code System.exit} in the task stays in its JVM.
 */
public final class ProcessStartFunctionLesson extends AbstractLesson {

  static final String CHILD = "子进程1";

  public ProcessStartFunctionLesson() {
    super(
        "processes.start-function",
        "Start a child JVM that runs a task class (Process(target=task))",
        SeedSection.PROCESS_START_FUNCTION);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    out.println("parent: " + CurrentProcess.pidAndThread());
    try (LessonChildren children = new LessonChildren(out)) {
      WorkerProcess p1 =
          children.start(CHILD, Task.class, CHILD, LessonChildren.paceArgument(context.pace()));
      out.println("main Process");
      children.joinAll();
      out.println(p1.name() + " (pid " + p1.pid() + ") exited with code " + p1.exitValue());
    }
  }

  /** The seed's {@code task(name)}, run in the child JVM: arguments are the name and the pace. */
  static final class Task implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws InterruptedException {
      String name = arguments.get(0);
      Pace pace = LessonChildren.pace(arguments.get(1));
      // The child's standard output is what the parent prints, prefixed with the child's name.
      System.out.println(name + " is running: " + CurrentProcess.pidAndThread());
      pace.sleepSeconds(5);
      System.out.println(name + " done");
    }
  }
}
