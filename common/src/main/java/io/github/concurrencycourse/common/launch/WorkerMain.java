package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tools.jackson.core.JacksonException;

/**
 * The entry point of a worker's child JVM, started by {@link WorkerLauncher}; not for running by
 * hand. It reads its {@link LaunchSpec} from standard input, starts watching its parent if the
 * worker is a daemon, connects to the parent's {@link ChannelServer} if the parent waits for that,
 * runs the task on the main thread (named after the worker) and exits.
 *
 * <p>This is the child's top level, the one place that owns its standard error: an exception from
 * the task is printed there, as the JVM would print an uncaught one, and also written to the
 * failure file the parent reads.
 */
public final class WorkerMain {

  private WorkerMain() {}

  /**
   * Runs one worker and exits with its {@linkplain WorkerProcess exit code}.
   *
   * @param args ignored; everything comes on standard input
   */
  public static void main(String[] args) {
    LaunchSpec spec;
    try {
      spec = LaunchSpec.PROTOCOL.readValue(System.in.readAllBytes(), LaunchSpec.class);
    } catch (IOException | JacksonException e) {
      System.err.println(
          WorkerMain.class.getName()
              + " reads what to run on standard input, as WorkerLauncher writes it: "
              + e);
      exit(WorkerProcess.EXIT_BAD_LAUNCH);
      return;
    }
    Thread.currentThread().setName(spec.name());
    if (spec.daemon()) {
      watchParent(spec.parentPid());
    }
    if (spec.channel() != null) {
      try {
        ParentConnection.connect(Path.of(spec.channel()));
      } catch (IOException e) {
        System.err.println("cannot connect to the parent's channel " + spec.channel() + ": " + e);
        exit(WorkerProcess.EXIT_BAD_LAUNCH);
        return;
      }
    }
    try {
      run(spec);
    } catch (Throwable t) {
      reportFailure(spec, t);
      exit(WorkerProcess.EXIT_FAILED);
    }
    exit(0);
  }

  private static void run(LaunchSpec spec) throws Throwable {
    Class<?> type = Class.forName(spec.className(), true, WorkerMain.class.getClassLoader());
    if (spec.launchesWorker()) {
      Worker worker =
          LaunchSpec.WORKER_FIELDS.treeToValue(spec.state(), type.asSubclass(Worker.class));
      worker.run();
    } else {
      WorkerTask task = CreatableByName.create(type.asSubclass(WorkerTask.class));
      task.run(spec.arguments());
    }
  }

  private static void reportFailure(LaunchSpec spec, Throwable failure) {
    StringWriter trace = new StringWriter();
    try (PrintWriter writer = new PrintWriter(trace)) {
      failure.printStackTrace(writer);
    }
    System.err.print("Exception in worker \"" + spec.name() + "\" " + trace);
    try {
      Files.write(
          Path.of(spec.failureFile()),
          LaunchSpec.PROTOCOL.writeValueAsBytes(
              new LaunchSpec.FailureReport(failure.getClass().getName(), trace.toString())),
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (IOException | JacksonException e) {
      System.err.println(
          "cannot report the failure to the parent through " + spec.failureFile() + ": " + e);
    }
  }

  /**
   * Halts this JVM once the parent is gone. Two signs, either is enough: on Unix a child is
   * re-parented the moment its parent dies, before anyone reaps the parent (which may stay a zombie
   * that still looks alive); elsewhere the parent's pid stops being alive.
   */
  private static void watchParent(long parentPid) {
    Thread.ofPlatform()
        .daemon()
        .name("parent-watch")
        .start(
            () -> {
              try {
                while (!isOrphaned(parentPid)) {
                  Thread.sleep(WorkerLauncher.PARENT_POLL_MILLIS);
                }
              } catch (InterruptedException e) {
                return;
              }
              System.out.flush();
              System.err.flush();
              // halt, not exit: the parent that would wait for shutdown hooks is gone, and a hook
              // blocked on the work in progress would keep the orphan alive.
              Runtime.getRuntime().halt(WorkerProcess.EXIT_ORPHANED);
            });
  }

  private static boolean isOrphaned(long parentPid) {
    boolean reparented =
        ProcessHandle.current().parent().map(parent -> parent.pid() != parentPid).orElse(false);
    return reparented || ProcessHandle.of(parentPid).map(parent -> !parent.isAlive()).orElse(true);
  }

  private static void exit(int status) {
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }
}
