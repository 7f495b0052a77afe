package io.github.concurrencycourse.pools;

import io.github.concurrencycourse.common.launch.CreatableByName;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.pools.WorkerProtocol.TaskReply;
import io.github.concurrencycourse.pools.WorkerProtocol.TaskRequest;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JavaType;

/**
 * The loop a {@link ProcessPool} worker JVM runs, started through {@code WorkerLauncher}: connect
 * to the pool's socket (the only argument), then read a task, run it, send its reply, until the
 * pool closes the connection. Not for running by hand.
 *
 * <p>A task's exception is sent back as its reply and the loop goes on. An {@link
 * OutOfMemoryError}, in the task or in any thread of the worker, halts the JVM with {@link
 * ProcessPool#EXIT_OUT_OF_MEMORY}: the heap of a JVM that ran out may hold half-updated state of
 * any library, so the worker is not trusted with another task.
 */
final class ProcessPoolWorker implements WorkerTask {

  ProcessPoolWorker() {}

  @Override
  public void run(List<String> arguments) throws Exception {
    if (arguments.size() != 1) {
      throw new IllegalArgumentException("expected the pool's socket path, got " + arguments);
    }
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, failure) -> {
          if (failure instanceof OutOfMemoryError) {
            haltOutOfMemory();
          } else if (previous != null) {
            previous.uncaughtException(thread, failure);
          } else {
            thread.getThreadGroup().uncaughtException(thread, failure);
          }
        });
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(arguments.get(0)));
      WorkerProtocol protocol = new WorkerProtocol(channel);
      for (Optional<TaskRequest> request = protocol.receive(TaskRequest.class);
          request.isPresent();
          request = protocol.receive(TaskRequest.class)) {
        protocol.send(execute(request.get()));
      }
    }
  }

  private static TaskReply execute(TaskRequest request) {
    try {
      Class<?> type =
          Class.forName(request.taskClass(), true, ProcessPoolWorker.class.getClassLoader());
      JavaType[] types = WorkerProtocol.taskTypes(type);
      Object argument = WorkerProtocol.JSON.treeToValue(request.argument(), types[0]);
      @SuppressWarnings("unchecked") // taskTypes checked that type is a ProcessTask
      ProcessTask<Object, Object> task = (ProcessTask<Object, Object>) CreatableByName.create(type);
      Object result = task.run(argument);
      System.out.flush();
      return TaskReply.success(request.id(), WorkerProtocol.JSON.valueToTree(result));
    } catch (OutOfMemoryError e) {
      haltOutOfMemory();
      throw e;
    } catch (Throwable t) {
      System.out.flush();
      return TaskReply.failure(request.id(), t);
    }
  }

  private static void haltOutOfMemory() {
    // halt, not exit: shutdown hooks would run in a heap that is full.
    Runtime.getRuntime().halt(ProcessPool.EXIT_OUT_OF_MEMORY);
  }
}
