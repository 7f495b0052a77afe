package io.github.concurrencycourse.common.launch;

import java.util.List;

/**
 * A task in the seed's function style, {@code Process(target=task, args=('子进程1',))}: the class
 * travels to the child JVM by name, its arguments as strings.
 *
 * <p>An implementation must be a top-level or static nested class with a no-argument constructor
 * (of any visibility) on the class path; lambdas, anonymous and inner classes cannot be named in
 * another JVM and are rejected by {@link WorkerLauncher#start(Class, String...)}. A fresh instance
 * is created in the child for each run.
 */
public interface WorkerTask {

  /**
   * Runs in the child JVM, on its main thread, which is named after the worker. When it returns the
   * child exits with code 0, as a Python child ends when its target returns, even if threads it
   * started are still running. When it throws, the child prints the stack trace on its standard
   * error, reports it to the parent (see {@link WorkerProcess#failure()}) and exits with {@link
   * WorkerProcess#EXIT_FAILED}.
   *
   * @param arguments the arguments given to {@link WorkerLauncher#start(Class, List)}, unmodifiable
   * @throws Exception anything; it reaches the parent as a {@link WorkerFailure}
   */
  void run(List<String> arguments) throws Exception;
}
