package io.github.concurrencycourse.bench.queues;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.Control;

/**
 * The producer and consumer loops every queue benchmark shares. Both wait in short timed steps
 * rather than in {@code put}/{@code take}, so that a thread left blocked when JMH ends an iteration
 * (its partner has stopped) notices {@link Control#stopMeasurement} and returns.
 */
final class QueueTransfer {

  /** How long one wait step lasts; only the end of an iteration ever waits this long. */
  private static final long STEP_MICROS = 100;

  /** Pre-boxed elements, so the benchmark measures the queue rather than allocation. */
  private static final Integer[] ELEMENTS = new Integer[1024];

  static {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < ELEMENTS.length; i++) {
      ELEMENTS[i] = random.nextInt(1_000_000);
    }
  }

  private QueueTransfer() {}

  /** Puts the element number {@code n} (modulo the pool of elements); false if the run ended. */
  static boolean put(BlockingQueue<Integer> queue, int n, Control control)
      throws InterruptedException {
    Integer element = ELEMENTS[n & (ELEMENTS.length - 1)];
    while (!queue.offer(element, STEP_MICROS, TimeUnit.MICROSECONDS)) {
      if (control.stopMeasurement) {
        return false;
      }
    }
    return true;
  }

  /**
   * Puts like {@link #put(BlockingQueue, int, Control)} after taking one of {@code room}'s permits:
   * the JDK's way to bound a queue that has no capacity of its own.
   */
  static boolean put(BlockingQueue<Integer> queue, Semaphore room, int n, Control control)
      throws InterruptedException {
    while (!room.tryAcquire(STEP_MICROS, TimeUnit.MICROSECONDS)) {
      if (control.stopMeasurement) {
        return false;
      }
    }
    return put(queue, n, control);
  }

  /** Takes an element, or returns null if the run ended first. */
  static Integer take(BlockingQueue<Integer> queue, Control control) throws InterruptedException {
    Integer element;
    while ((element = queue.poll(STEP_MICROS, TimeUnit.MICROSECONDS)) == null) {
      if (control.stopMeasurement) {
        return null;
      }
    }
    return element;
  }
}
