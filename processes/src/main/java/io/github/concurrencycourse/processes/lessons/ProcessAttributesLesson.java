package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.ChannelServer;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
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
 *       later: a daemon child does not outlive its parent, however the parent dies.
 * </ol>
 *
 * <p>That last scene goes further than Python. Python terminates a daemon child only when the
 * parent exits normally (an {@code atexit} hook of {@code multiprocessing} sends it SIGTERM); a
 * parent killed with SIGKILL runs no hook, and its daemon children live on. {@code
 * WorkerLauncher}'s daemon child watches its parent instead, every 100 ms, and halts once the
 * parent is gone, however it went. With {@code --python-daemon} a fourth scene shows Python's
 * behaviour: {@code 父进程-py} starts a plain child {@code 守护进程-py} and would terminate it in a
 * shutdown hook at a normal exit, as Python does; killed with SIGKILL, it runs no hook, and {@code
 * 守护进程-py} is still alive twice as long after as {@code 守护进程} took to end (at least a second). The
 * lesson then kills it, as nobody else would.
 */
public final class ProcessAttributesLesson extends AbstractLesson {

  static final String DAEMON_PARENT = "父进程";
  static final String DAEMON_CHILD = "守护进程";
  static final String PYTHON_PARENT = "父进程-py";
  static final String PYTHON_DAEMON = "守护进程-py";

  /** The argument that adds the scene of Python's daemon, which outlives a parent's SIGKILL. */
  static final String PYTHON_DAEMON_FLAG = "--python-daemon";

  /**
   * The least time a Python-style daemon is watched after its parent's SIGKILL: ten times the
   * period in which a {@code WorkerLauncher} daemon looks for its parent.
   */
  private static final Duration SHORTEST_ORPHAN_WATCH = Duration.ofSeconds(1);

  public ProcessAttributesLesson() {
    super(
        "processes.attributes",
        "Process attributes: name, pid, is_alive, join, exit code, terminate, daemon children",
        SeedSection.PROCESS_ECHO_SERVER);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    String pace = LessonChildren.paceArgument(context.pace());
    // Each parent reports its child's pid over a channel of its own.
    try (LessonChildren children = new LessonChildren(out);
        ChannelServer<Void, Long> daemonReport = ChannelServer.open(Void.class, Long.class);
        ChannelServer<Void, Long> pythonReport = ChannelServer.open(Void.class, Long.class)) {
      // All the JVMs start together: each takes a good part of a second to boot.
      WorkerProcess p1 = children.start("p1", Sleeper.class, "2", pace);
      WorkerProcess p2 = children.start("p2", Idle.class);
      WorkerProcess parent =
          children.start(
              DAEMON_PARENT,
              DaemonParent.class,
              DAEMON_CHILD,
              daemonReport.socketPath().toString());
      boolean python = context.hasFlag(PYTHON_DAEMON_FLAG);
      WorkerProcess pythonParent =
          python
              ? children.start(
                  PYTHON_PARENT,
                  PythonStyleParent.class,
                  PYTHON_DAEMON,
                  pythonReport.socketPath().toString())
              : null;

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
      Duration daemonEnded = showDaemonChild(out, parent, childPid(daemonReport, parent));

      if (pythonParent != null) {
        out.println(
            "-- Python's daemon child: terminated at its parent's normal exit, left running by"
                + " SIGKILL --");
        // Twice as long as the watching daemon took to end on this machine, at its present load.
        Duration watch = daemonEnded.multipliedBy(2);
        showPythonDaemonChild(
            out,
            pythonParent,
            childPid(pythonReport, pythonParent),
            watch.compareTo(SHORTEST_ORPHAN_WATCH) < 0 ? SHORTEST_ORPHAN_WATCH : watch);
      }
    }
  }

  /** Kills {@code parent} alone and returns how long its daemon child took to end by itself. */
  private static Duration showDaemonChild(PrintStream out, WorkerProcess parent, long pid)
      throws InterruptedException, TimeoutException, ExecutionException {
    ProcessHandle daemon = ProcessHandle.of(pid).orElse(null);
    try {
      out.println(describeChild(DAEMON_CHILD, pid, daemon, parent));
      // SIGKILL to the parent alone, not its tree: it gets no chance to stop its child.
      long killedAt = System.nanoTime();
      parent.toHandle().destroyForcibly();
      LessonChildren.join(parent);
      out.println(
          "killed " + DAEMON_PARENT + " with SIGKILL: " + describe(parent) + "  (Python: -9)");
      if (daemon == null) {
        return Duration.ZERO;
      }
      daemon.onExit().get(LessonChildren.CHILD_TIME.toMillis(), TimeUnit.MILLISECONDS);
      Duration ended = Duration.ofNanos(System.nanoTime() - killedAt);
      out.println(
          DAEMON_CHILD
              + " ended by itself "
              + ended.toMillis()
              + " ms after its parent was killed: alive="
              + daemon.isAlive());
      return ended;
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly();
      }
    }
  }

  /**
   * Kills {@code parent} alone with SIGKILL and shows that its Python-style daemon child lives on;
   * then kills the child, which nothing else would end.
   */
  private static void showPythonDaemonChild(
      PrintStream out, WorkerProcess parent, long pid, Duration watch)
      throws InterruptedException, TimeoutException {
    ProcessHandle orphan = ProcessHandle.of(pid).orElse(null);
    try {
      out.println(
          describeChild(PYTHON_DAEMON, pid, orphan, parent)
              + ", which would terminate it at a normal exit");
      parent.toHandle().destroyForcibly();
      LessonChildren.join(parent);
      out.println(
          "killed "
              + PYTHON_PARENT
              + " with SIGKILL: "
              + describe(parent)
              + "  (no exit hook runs)");
      if (orphan == null) {
        return;
      }
      boolean ended;
      try {
        orphan.onExit().get(watch.toMillis(), TimeUnit.MILLISECONDS);
        ended = true;
      } catch (TimeoutException e) {
        ended = false;
      } catch (ExecutionException e) {
        throw new IllegalStateException("watching " + PYTHON_DAEMON + " failed", e.getCause());
      }
      out.println(
          PYTHON_DAEMON
              + " "
              + watch.toMillis()
              + " ms after its parent was killed (at least twice as long as "
              + DAEMON_CHILD
              + " took to end): alive="
              + orphan.isAlive()
              + (ended ? "" : ", an orphan now (parent pid " + parentPid(orphan) + ")"));
      orphan.destroyForcibly();
      orphan.onExit().get(LessonChildren.CHILD_TIME.toMillis(), TimeUnit.MILLISECONDS);
      out.println(
          "killed " + PYTHON_DAEMON + " by hand, as nothing else would: alive=" + orphan.isAlive());
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for " + PYTHON_DAEMON + " failed", e.getCause());
    } finally {
      if (orphan != null && orphan.isAlive()) {
        orphan.destroyForcibly();
      }
    }
  }

  /** Waits for {@code parent} to report the pid of the child it started, and returns it. */
  private static long childPid(ChannelServer<Void, Long> report, WorkerProcess parent)
      throws IOException, InterruptedException, TimeoutException {
    try (MessageChannel<Void, Long> channel = report.accept(LessonChildren.CHILD_TIME)) {
      return channel
          .receive(LessonChildren.CHILD_TIME)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      parent.name() + " hung up without reporting its child's pid"));
    }
  }

  /** {@code 守护进程: pid 4711, alive=true, child of 父进程 (pid 4700)}. */
  private static String describeChild(
      String name, long pid, ProcessHandle child, WorkerProcess parent) {
    return name
        + ": pid "
        + pid
        + ", alive="
        + (child != null && child.isAlive())
        + ", child of "
        + parent.name()
        + " (pid "
        + parent.pid()
        + ")";
  }

  private static String parentPid(ProcessHandle process) {
    return process.parent().map(p -> Long.toString(p.pid())).orElse("unknown");
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
   * Starts a {@code WorkerLauncher} daemon child, which halts once its parent is gone, and waits
   * for it. Arguments: the child's name, the socket to report its pid on.
   */
  static final class DaemonParent implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      WorkerProcess child = startIdleChild(arguments.get(0), true, Path.of(arguments.get(1)));
      child.join(Duration.ofDays(1));
    }
  }

  /**
   * A parent with Python's daemon semantics: its child does not watch it, and the parent terminates
   * the child in a shutdown hook, which runs at a normal exit, as {@code multiprocessing}'s {@code
   * atexit} hook does, and never after SIGKILL. Arguments: the child's name, the socket to report
   * its pid on.
   */
  static final class PythonStyleParent implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      WorkerProcess child = startIdleChild(arguments.get(0), false, Path.of(arguments.get(1)));
      Runtime.getRuntime().addShutdownHook(new Thread(child::terminate, "atexit"));
      child.join(Duration.ofDays(1));
    }
  }

  /**
   * In a parent JVM: starts an {@link Idle} child and tells the lesson its pid over {@code report}.
   */
  private static WorkerProcess startIdleChild(String name, boolean daemon, Path report)
      throws IOException {
    WorkerProcess child =
        WorkerLauncher.builder()
            .name(name)
            .daemon(daemon)
            .jvmOptions(LessonChildren.SMALL_JVM)
            .output(WorkerOutput.inherit())
            .build()
            .start(Idle.class);
    System.out.println("started daemon child " + name + ", pid " + child.pid());
    try (MessageChannel<Long, Void> lesson =
        MessageChannel.connect(report, Long.class, Void.class)) {
      lesson.send(child.pid());
    }
    return child;
  }
}
