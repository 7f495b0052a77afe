package io.github.concurrencycourse.processes.lessons;

/**
 * Where the calling code runs, as the start lessons print it for the parent and for the child: the
 * JVM's process id and the calling thread's name. Comparing the two lines is the lesson: another
 * pid, and a main thread named after the child. Stateless and thread-safe.
 */
final class CurrentProcess {

  private CurrentProcess() {}

  /** {@code pid 4711, thread main}: this JVM's process id and the calling thread's name. */
  static String pidAndThread() {
    return "pid " + ProcessHandle.current().pid() + ", thread " + Thread.currentThread().getName();
  }
}
