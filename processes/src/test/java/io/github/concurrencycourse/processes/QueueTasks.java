package io.github.concurrencycourse.processes;

import io.github.concurrencycourse.common.launch.WorkerTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import tools.jackson.core.type.TypeReference;

/** What the child JVMs of {@link ProcessQueueProcessTest} run. */
final class QueueTasks {

  static final TypeReference<Optional<String>> FOOD = new TypeReference<>() {};

  private QueueTasks() {}

  /** Arguments: socket, food, count. Puts {@code food0} … {@code food<count-1>}. */
  static final class Produce implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      int count = Integer.parseInt(arguments.get(2));
      try (ProcessQueue<Optional<String>> queue =
          ProcessQueue.open(Path.of(arguments.get(0)), FOOD)) {
        for (int i = 0; i < count; i++) {
          queue.put(Optional.of(arguments.get(1) + i));
        }
      }
    }
  }

  /** Arguments: socket. Takes and prints {@code ate <item>} until it takes the empty end mark. */
  static final class Consume implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      try (ProcessQueue<Optional<String>> queue =
          ProcessQueue.open(Path.of(arguments.get(0)), FOOD)) {
        for (Optional<String> item = queue.take(); item.isPresent(); item = queue.take()) {
          System.out.println("ate " + item.get());
        }
      }
    }
  }

  /**
   * Arguments: socket. Takes one item through a joinable handle, prints {@code holding <item>} and
   * waits for ever without acknowledging it: the parent kills it.
   */
  static final class TakeAndHold implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      JoinableProcessQueue<String> queue =
          JoinableProcessQueue.open(Path.of(arguments.get(0)), String.class);
      System.out.println("holding " + queue.take());
      new CountDownLatch(1).await();
    }
  }

  /** Arguments: socket. Takes one item, prints {@code done <item>}, acknowledges it and ends. */
  static final class TakeAndAcknowledge implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      try (JoinableProcessQueue<String> queue =
          JoinableProcessQueue.open(Path.of(arguments.get(0)), String.class)) {
        System.out.println("done " + queue.take());
        queue.taskDone();
      }
    }
  }

  /** Arguments: socket, capacity. Hosts a queue there, prints {@code ready} and waits for ever. */
  static final class Host implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      try (ProcessQueueHost host =
          ProcessQueueHost.start(Integer.parseInt(arguments.get(1)), Path.of(arguments.get(0)))) {
        System.out.println("ready " + host.socketPath());
        new CountDownLatch(1).await();
      }
    }
  }
}
