package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.ChannelServer;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The attributes of a started process, as the seed's process-per-client server uses them ({@code
 * Process(..., name=p_name)}, {@code pp.is_alive()}): name, pid, {@code is_alive}, {@code join},
 * {@code exitcode}, {@code terminate} and daemon children.
 *
 * <p>Run it with {@code ./course run processes.attributes}. You will see three scenes:
 *
 * <ol>
 *   <li>{@code p1} sleeps two seconds: its name and pid, {@code alive=true} and no exit code while
 *       it runs; after {@code join}, {@code alive=false} and exit code 0.
 *   <li>{@code p2} would sleep until stopped; {@code terminate()} sends it SIGTERM and it exits at
 *       once with 143, 128 + signal 15 (Python reports -15).
 *   <li>{@code 父进程} starts a daemon child {@code 守护进程} and waits for it. The lesson kills {@code
 *       父进程} alone with SIGKILL, so it cannot clean up, and {@code 守护进程} ends by itself a moment
 *       later: a daemon child does not outlive its parent, however the parent dies. A non-daemon
 *       child would live on, as any orphaned process does.
 * </ol>
 */
public final class AttributesLesson implements Lesson {

  static final String DAEMON_PARENT = "父进程";
  static final String DAEMON_CHILD = "守护进程";

  @Override
  public String id() {
    return "processes.attributes";
  }

  @Override
  public String title() {
    return "Process attributes: name, pid, is_alive, join, exit code, terminate, daemon children";
  }

  @Override
  public SeedSection seedSection() {
    return SeedSection.PROCESS_ECHO_SERVER;
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    String pace = LessonChildren.paceArgument(context.pace());
    try (LessonChildren children = new LessonChildren(out);
        ChannelServer<Void, Long> reports = ChannelServer.open(Void.class, Long.class)) {
      // All three JVMs start together: each takes a good part of a second to boot.
      WorkerProcess p1 =
          children.track(children.launcher("p1").build().start(Sleeper.class, "2", pace));
      WorkerProcess p2 = children.track(children.launcher("p2").build().start(Idle.class));
      WorkerProcess parent =
          children.track(
              children
                  .launcher(DAEMON_PARENT)
                  .build()
                  .start(DaemonParent.class, reports.socketPath().toString()));

      out.println("-- name, pid, is_alive, join, exitcode --");
      out.println(describe(p1));
      LessonChildren.join(p1);
      out.println("after join: " + describe(p1));

      out.println("-- terminate --");
      out.println(describe(p2));
      p2.terminate();
      LessonChildren.join(p2);
      out.println("after terminate and join: " + describe(p2) + "  (SIGTERM; Python: -15)");

      out.println("-- a daemon child ends with its parent --");
      showDaemonChild(out, parent, daemonPid(reports));
    }
  }

  /** The pid of the daemon child, as its parent reports it. */
  private static long daemonPid(ChannelServer<Void, Long> reports)
      throws IOException, InterruptedException, TimeoutException {
    try (MessageChannel<Void, Long> report = reports.accept(LessonChildren.CHILD_TIME)) {
      return report
          .receive(LessonChildren.CHILD_TIME)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      DAEMON_PARENT + " hung up without reporting its daemon child"));
    }
  }

  private static void showDaemonChild(PrintStream out, WorkerProcess parent, long pid)
      throws InterruptedException, TimeoutException, ExecutionException {
    ProcessHandle daemon = ProcessHandle.of(pid).orElse(null);
    try {
      out.println(
          DAEMON_CHILD
              + ": pid "
              + pid
              + ", alive="
              + (daemon != null && daemon.isAlive())
              + ", child of "
              + DAEMON_PARENT
              + " (pid "
              + parent.pid()
              + ")");
      // SIGKILL to the parent alone, not its tree: it gets no chance to stop its child.
      long killedAt = System.nanoTime();
      parent.toHandle().destroyForcibly();
      LessonChildren.join(parent);
      out.println(
          "killed " + DAEMON_PARENT + " with SIGKILL: " + describe(parent) + "  (Python: -9)");
      if (daemon != null) {
        daemon.onExit().get(LessonChildren.CHILD_TIME.toMillis(), TimeUnit.MILLISECONDS);
        out.println(
            DAEMON_CHILD
                + " ended by itself "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)
                + " ms after its parent was killed: alive="
                + daemon.isAlive());
      }
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly();
      }
    }
  }

  private static String describe(WorkerProcess p) {
    OptionalInt exitCode = p.exitCode();
    return "name="
        + p.name()
        + " pid="
        + p.pid()
        + " alive="
        + p.isAlive()
        + " exitcode="
        + (exitCode.isPresent() ? String.valueOf(exitCode.getAsInt()) : "None");
  }

  /** Sleeps the given seed seconds at the given pace. */
  static final class Sleeper implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws InterruptedException {
      LessonChildren.pace(arguments.get(1)).sleepSeconds(Double.parseDouble(arguments.get(0)));
    }
  }

  /** Sleeps until it is stopped: the seed's long {@code time.sleep}, long enough for any pace. */
  static final class Idle implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws InterruptedException {
      while (true) {
        Thread.sleep(Duration.ofDays(1));
      }
    }
  }

  /**
   * Starts a daemon child that sleeps until it is stopped, reports the child's pid to the lesson
   * over the channel whose socket is its argument, and waits for the child.
   */
  static final class DaemonParent implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      WorkerProcess child =
          WorkerLauncher.builder()
              .name(DAEMON_CHILD)
              .daemon(true)
              .jvmOptions(LessonChildren.SMALL_JVM)
              .output(WorkerOutput.inherit())
              .build()
              .start(Idle.class);
      System.out.println("started daemon child " + DAEMON_CHILD + ", pid " + child.pid());
      try (MessageChannel<Long, Void> lesson =
          MessageChannel.connect(Path.of(arguments.get(0)), Long.class, Void.class)) {
        lesson.send(child.pid());
      }
      child.join(Duration.ofDays(1));
    }
  }
}
