package io.github.concurrencycourse.queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** Runs the stress tests' threads and fails with their names and stacks if any is stuck. */
final class StressSupport {

  interface Work {
    void run() throws Exception;
  }

  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  void start(String name, Work work) {
    threads.add(
        Thread.ofPlatform()
            .name(name)
            .start(
                () -> {
                  try {
                    work.run();
                  } catch (Throwable t) {
                    failures.add(t);
                  }
                }));
  }

  /**
   * Waits for every thread; a thread still alive after {@code seconds} is stuck (a lost wake-up),
   * so the test fails naming it, and every thread is interrupted so none outlives the test.
   */
  void joinAll(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> stuck = new ArrayList<>();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        t.join(java.time.Duration.ofNanos(left));
      }
      if (t.isAlive()) {
        StringBuilder where = new StringBuilder(t.getName() + " " + t.getState());
        for (StackTraceElement frame : t.getStackTrace()) {
          where.append("\n    at ").append(frame);
        }
        stuck.add(where.toString());
      }
    }
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(stuck).as("threads that never woke up").isEmpty();
    assertThat(failures).as("exceptions thrown by the threads").isEmpty();
  }
}
