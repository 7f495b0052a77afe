package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The tasks that {@link WorkerLauncherTest} runs in child JVMs. */
final class TestTasks {

  private TestTasks() {}

  /**
   * The seed's function-style task: {@code task(name)} prints that it runs, then that it is done.
   */
  static final class SeedTask implements WorkerTask {
    @Override
    public void run(List<String> arguments) {
      String name = arguments.get(0);
      System.out.println(name + " is running");
      System.out.println(
          "arguments " + arguments + " on thread " + Thread.currentThread().getName());
      System.out.println(name + " done");
    }
  }

  /** A record field, to show that structured values travel. */
  record Seat(String row, int number) {}

  /**
   * The seed's subclass-style {@code MyProcess}: its fields travel, its run() runs in the child.
   */
  static final class SeedProcess extends Worker {
    private String name;
    private int repeat;
    private List<String> items;
    private Map<String, Integer> stock;
    private Seat seat;
    private transient String parentOnly;

    private SeedProcess() {}

    SeedProcess(
        String name, int repeat, List<String> items, Map<String, Integer> stock, Seat seat) {
      this.name = name;
      this.repeat = repeat;
      this.items = items;
      this.stock = stock;
      this.seat = seat;
      this.parentOnly = "set in the parent";
    }

    @Override
    protected void run() {
      for (int i = 0; i < repeat; i++) {
        System.out.println(name + " is running " + i);
      }
      System.out.println("items=" + items + " stock=" + stock + " seat=" + seat);
      System.out.println("transient=" + parentOnly);
      System.out.println("pid=" + ProcessHandle.current().pid());
    }
  }

  /** Prints {@code ready} and then blocks until it is killed. */
  static final class BlockForever implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws InterruptedException {
      System.out.println("ready");
      new CountDownLatch(1).await();
    }
  }

  /** Throws from a named method, with a cause, as a task in trouble does. */
  static final class FailingTask implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws IOException {
      checkStock();
    }

    private static void checkStock() throws IOException {
      throw new IllegalStateException("no tickets left", new IOException("db.txt is unreadable"));
    }
  }

  /** Throws while being created: the child reports this as it reports the task's own failures. */
  static final class FailingConstructor implements WorkerTask {
    FailingConstructor() {
      throw new UnsupportedOperationException("cannot be built");
    }

    @Override
    public void run(List<String> arguments) {}
  }

  /**
   * Starts a grandchild that blocks forever, daemon if the first argument is {@code daemon},
   * reports {@code grandchild <pid>} and blocks forever itself.
   */
  static final class StartGrandchild implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws IOException, InterruptedException {
      WorkerProcess grandchild =
          WorkerLauncher.builder()
              .name("grandchild")
              .daemon(arguments.get(0).equals("daemon"))
              .jvmOptions(ChildProcesses.SMALL_JVM)
              .build()
              .start(BlockForever.class);
      System.out.println("grandchild " + grandchild.pid());
      if (!grandchild.join(Duration.ofMinutes(5))) {
        throw new IllegalStateException("the test that started this did not clean up");
      }
    }
  }

  /** Not creatable by another JVM: an inner class needs its outer instance. */
  @SuppressWarnings("ClassCanBeStatic") // being an inner class is what the test is about
  final class InnerTask implements WorkerTask {
    @Override
    public void run(List<String> arguments) {}
  }

  /** Not creatable by another JVM: no constructor without arguments. */
  static final class NeedsArgument implements WorkerTask {
    NeedsArgument(String argument) {
      if (argument.isEmpty()) {
        throw new IllegalArgumentException();
      }
    }

    @Override
    public void run(List<String> arguments) {}
  }
}
