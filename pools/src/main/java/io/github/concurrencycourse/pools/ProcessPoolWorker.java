package io.github.concurrencycourse.pools;

import io.github.concurrencycourse.common.launch.CreatableByName;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The loop a {@link ProcessPool} worker JVM runs, started connected through {@code WorkerLauncher}:
 * receive a {@link TaskRequest} on the channel to the pool, run the task, send its {@link
 * TaskReply}, until the pool closes the channel. One task at a time. Not for running by hand.
 *
 * <p>A task's exception is sent back as its reply and the loop goes on. An {@link
 * OutOfMemoryError}, in the task or in any thread of the worker, halts the JVM with {@link
 * ProcessPool#EXIT_OUT_OF_MEMORY}: the heap of a JVM that ran out may hold half-updated state of
 * any library, so the worker is not trusted with another task.
 */
final class ProcessPoolWorker implements WorkerTask {

  /** Writes and reads arguments and results. Thread-safe. */
  static final JsonMapper JSON = JsonMapper.shared();

  /**
   * Runs one task.
   *
   * @param id the pool's number for the task, echoed in the reply
   * @param taskClass the {@link ProcessTask} class's binary name
   * @param argument the argument as JSON
   */
  record TaskRequest(long id, String taskClass, JsonNode argument) {}

  /**
   * How one task ended: a result, or the exception it threw.
   *
   * @param id the request's id
   * @param result the result as JSON; ignored when the task threw
   * @param exceptionClass the class of the exception the task threw, {@code null} if it returned
   * @param stackTrace the exception's stack trace as the worker printed it, {@code null} if none
   */
  record TaskReply(long id, JsonNode result, String exceptionClass, String stackTrace) {

    static TaskReply success(long id, JsonNode result) {
      return new TaskReply(id, result, null, null);
    }

    static TaskReply failure(long id, Throwable failure) {
      StringWriter trace = new StringWriter();
      try (PrintWriter writer = new PrintWriter(trace)) {
        failure.printStackTrace(writer);
      }
      return new TaskReply(id, null, failure.getClass().getName(), trace.toString());
    }

    boolean threw() {
      return exceptionClass != null;
    }
  }

  ProcessPoolWorker() {}

  /**
   * The argument and result types of a {@link ProcessTask} class, {@code [A, R]}.
   *
   * @throws IllegalArgumentException if the class does not implement {@code ProcessTask} with type
   *     arguments
   */
  static JavaType[] taskTypes(Class<?> taskClass) {
    if (!ProcessTask.class.isAssignableFrom(taskClass)) {
      throw new IllegalArgumentException(taskClass.getName() + " is not a ProcessTask");
    }
    JavaType[] types =
        JSON.getTypeFactory().constructType(taskClass).findTypeParameters(ProcessTask.class);
    if (types == null || types.length != 2) {
      throw new IllegalArgumentException(
          taskClass.getName()
              + " implements the raw ProcessTask; give its argument and result types, as in"
              + " ProcessTask<PrimeRange, Long>");
    }
    return types;
  }

  @Override
  public void run(List<String> arguments) throws Exception {
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
    try (MessageChannel<TaskReply, TaskRequest> pool =
        MessageChannel.toParent(TaskReply.class, TaskRequest.class)) {
      for (Optional<TaskRequest> request = pool.receive();
          request.isPresent();
          request = pool.receive()) {
        pool.send(execute(request.get()));
      }
    }
  }

  private static TaskReply execute(TaskRequest request) {
    try {
      Class<?> type =
          Class.forName(request.taskClass(), true, ProcessPoolWorker.class.getClassLoader());
      JavaType[] types = taskTypes(type);
      Object argument = JSON.treeToValue(request.argument(), types[0]);
      @SuppressWarnings("unchecked") // taskTypes checked that type is a ProcessTask
      ProcessTask<Object, Object> task = (ProcessTask<Object, Object>) CreatableByName.create(type);
      Object result = task.run(argument);
      System.out.flush();
      return TaskReply.success(request.id(), JSON.valueToTree(result));
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
