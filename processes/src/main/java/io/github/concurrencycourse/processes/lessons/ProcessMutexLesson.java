package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.processes.ProcessLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * 互斥锁: three processes, {@code 进程0} to {@code 进程2}, each print {@code 1}, {@code 2}, {@code 3} a
 * second apart, under one cross-process {@link ProcessLock}.
 *
 * <p>Run it with {@code ./course run processes.mutex}. You will see each process print its three
 * lines together, one process after another: the lock, found by every child JVM by its name {@value
 * #LOCK_NAME}, lets one process at a time count. Add {@code --unsafe} ({@code ./course run
 * processes.mutex --unsafe}) and the processes count without it: their lines interleave, {@code 进程0
 * 1}, {@code 进程2 1}, {@code 进程1 1}, {@code 进程0 2}, ...
 *
 * <p>The children wait at a start gate until all three JVMs have started, so that they compete on
 * every run; the seed's Python processes start fast enough not to need one. They print to a {@link
 * SharedConsole}, one file they all append to, rather than through their own output pipes, which
 * the parent reads on separate threads and so could show in another order than they were printed.
 */
public final class ProcessMutexLesson extends AbstractLesson {

  /** The seed's three processes. */
  static final int PROCESSES = 3;

  /** The name every child uses to find the lock. */
  static final String LOCK_NAME = "processes.mutex";

  public ProcessMutexLesson() {
    super(
        "processes.mutex",
        "Three processes count to three under a cross-process lock (--unsafe: without it)",
        SeedSection.PROCESS_MUTEX);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    boolean unsafe = context.hasFlag("--unsafe");
    out.println(
        unsafe
            ? "--unsafe: " + PROCESSES + " processes count to three without a lock"
            : PROCESSES
                + " processes count to three under ProcessLock.named(\""
                + LOCK_NAME
                + "\")");
    try (TemporaryDirectory directory = TemporaryDirectory.create("processes-mutex")) {
      Path console = SharedConsole.create(directory.resolve("console.txt"));
      try (LessonChildren children = new LessonChildren(out);
          StartGate gate = StartGate.closed()) {
        for (int i = 0; i < PROCESSES; i++) {
          String name = "进程" + i;
          children.start(
              name,
              Task.class,
              name,
              LessonChildren.paceArgument(context.pace()),
              gate.socketPath().toString(),
              console.toString(),
              unsafe ? "" : LOCK_NAME);
        }
        gate.openWhenReady(children, PROCESSES, LessonChildren.CHILD_TIME);
        SharedConsole.follow(console, out, children);
      }
    }
  }

  /**
   * The seed's {@code task(name, mutex)}, in a child JVM. Arguments: name, pace, start gate socket,
   * shared console file, and the lock's name, empty to count without a lock.
   */
  static final class Task implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws InterruptedException, IOException {
      String name = arguments.get(0);
      Pace pace = LessonChildren.pace(arguments.get(1));
      Path gate = Path.of(arguments.get(2));
      Path console = Path.of(arguments.get(3));
      String lockName = arguments.get(4);
      if (lockName.isEmpty()) {
        StartGate.pass(gate);
        countToThree(name, pace, console);
        return;
      }
      ProcessLock mutex = ProcessLock.named(lockName);
      StartGate.pass(gate);
      mutex.lockInterruptibly(); // mutex.acquire()
      try {
        countToThree(name, pace, console);
      } finally {
        mutex.unlock(); // mutex.release()
      }
    }

    private static void countToThree(String name, Pace pace, Path console)
        throws InterruptedException, IOException {
      SharedConsole.println(console, name, name + " 1");
      pace.sleepSeconds(1);
      SharedConsole.println(console, name, name + " 2");
      pace.sleepSeconds(1);
      SharedConsole.println(console, name, name + " 3");
    }
  }
}
