package io.github.concurrencycourse.common.launch;

/**
 * A worker in the seed's subclass style, {@code class MyProcess(Process)}: a subclass whose fields
 * travel to the child JVM as JSON and whose {@link #run()} executes there.
 *
 * <p>A subclass must be a top-level or static nested class with a no-argument constructor (of any
 * visibility). Every non-static, non-transient field of the subclass and its superclasses travels,
 * whatever its visibility, by value; getters and setters are not called. Field types must be plain
 * data that Jackson writes and reads back without hints: strings, numbers, booleans, enums, lists,
 * maps, arrays and records of those. Transient fields arrive with their default value: that is the
 * place for a thread, a lock or a socket, which cannot travel between processes.
 *
 * <p>In the parent the object is only a description; calling nothing on it starts anything. Pass it
 * to {@link WorkerLauncher#start(Worker)}.
 */
public abstract class Worker {

  /** For subclasses. */
  protected Worker() {}

  /**
   * Runs in the child JVM, on a copy made from the fields' JSON, on the child's main thread. It
   * ends the child as {@link WorkerTask#run} does: code 0 when it returns, a {@link WorkerFailure}
   * and {@link WorkerProcess#EXIT_FAILED} when it throws.
   *
   * @throws Exception anything; it reaches the parent as a {@link WorkerFailure}
   */
  protected abstract void run() throws Exception;
}
