package io.github.concurrencycourse.common.launch;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the parent tells a child JVM, as JSON on the child's standard input (which has no other use:
 * a Python child's is {@code /dev/null} too). Standard input rather than arguments keeps a large
 * worker out of the command line, and its fields out of {@code ps}.
 *
 * @param name the worker's name
 * @param parentPid the parent JVM's pid, which a daemon child watches
 * @param daemon whether the child halts when its parent dies
 * @param failureFile where the child writes a {@link FailureReport} if its task throws; the parent
 *     reads and deletes it after the child exits
 * @param className the {@link WorkerTask} or {@link Worker} class
 * @param arguments the task's arguments (function style); empty for a worker
 * @param state the worker's fields (subclass style); {@code null} for a task
 * @param channel the socket of the parent's {@link ChannelServer} that the child connects to before
 *     the task runs; {@code null} for a worker started without a channel
 */
record LaunchSpec(
    String name,
    long parentPid,
    boolean daemon,
    String failureFile,
    String className,
    List<String> arguments,
    ObjectNode state,
    String channel) {

  /** Reads and writes the protocol's records. */
  static final JsonMapper PROTOCOL = JsonMapper.builder().build();

  /**
   * Reads and writes a {@link Worker}'s fields, whatever their visibility, and nothing else: a
   * getter or setter may compute, check or have side effects that do not belong in a transfer.
   */
  static final JsonMapper WORKER_FIELDS =
      JsonMapper.builder()
          .changeDefaultVisibility(
              checker ->
                  checker
                      .withFieldVisibility(Visibility.ANY)
                      .withGetterVisibility(Visibility.NONE)
                      .withIsGetterVisibility(Visibility.NONE)
                      .withSetterVisibility(Visibility.NONE)
                      .withCreatorVisibility(Visibility.ANY))
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  LaunchSpec {
    arguments = List.copyOf(arguments);
  }

  /** Whether this launches a {@link Worker} (subclass style) rather than a {@link WorkerTask}. */
  boolean launchesWorker() {
    return state != null;
  }

  /**
   * An exception of a child's task, as the child reports it.
   *
   * @param exceptionClass the exception's class name
   * @param stackTrace the stack trace as the child printed it
   */
  record FailureReport(String exceptionClass, String stackTrace) {}
}
