package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.Worker;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;

/**
 * 开启并发进程 方式二: {@code class MyProcess(Process)} with its own {@code run}, as a {@link Worker}
 * subclass whose fields travel to the child JVM as JSON.
 *
 * <p>Run it with {@code ./course run processes.start-subclass}. You will see the parent's pid, then
 * {@code this is main process} at once, while the child JVM is still starting; then the child's
 * lines, prefixed {@code [子进程1]}, with its own pid and its main thread named {@code 子进程1}, and five
 * seconds later (at the seed's pace) {@code 子进程1 done}. The lesson joins the child before it
 * returns.
 *
 * <p>The object built in the parent is only a description: its fields ({@code name}, {@code
 * paceFactor}) are copied to the child, and {@code run()} executes there on the copy. A field the
 * child changes does not change the parent's object, as with Python's {@code Process} subclasses.
 */
public final class ProcessStartSubclassLesson extends AbstractLesson {

  static final String CHILD = "子进程1";

  public ProcessStartSubclassLesson() {
    super(
        "processes.start-subclass",
        "Start a child JVM from a Worker subclass (class MyProcess(Process))",
        SeedSection.PROCESS_START_SUBCLASS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    out.println("parent: " + CurrentProcess.pidAndThread());
    try (LessonChildren children = new LessonChildren(out)) {
      MyProcess p = new MyProcess(CHILD, context.pace());
      WorkerProcess started = children.start(CHILD, p);
      out.println("this is main process");
      children.joinAll();
      out.println(
          started.name() + " (pid " + started.pid() + ") exited with code " + started.exitValue());
    }
  }

  /** The seed's {@code MyProcess}: its fields are what travels to the child. */
  static final class MyProcess extends Worker {
    private String name;
    private double paceFactor;

    /** For the child JVM, which fills the fields from JSON. */
    MyProcess() {}

    MyProcess(String name, Pace pace) {
      this.name = name;
      this.paceFactor = pace.factor();
    }

    @Override
    protected void run() throws InterruptedException {
      // The child's standard output is what the parent prints, prefixed with the child's name.
      System.out.println(name + " is running: " + CurrentProcess.pidAndThread());
      new Pace(paceFactor).sleepSeconds(5);
      System.out.println(name + " done");
    }
  }
}
