package io.github.concurrencycourse.queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Runs the stress tests' threads and fails with their names and stacks if any is stuck; also the
 * ways of inserting and removing that every stress test mixes, and the final count.
 */
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

  /**
   * Inserts {@code element} by {@code put}, timed {@code offer} or {@code offer}, chosen at random.
   * A refused offer falls back to {@code put}, so no producer spins on a full queue.
   */
  static <E> void insertAnyWay(BlockingQueue<E> q, E element) throws InterruptedException {
    switch (ThreadLocalRandom.current().nextInt(3)) {
      case 0 -> q.put(element);
      case 1 -> {
        if (!q.offer(element, 1, TimeUnit.MILLISECONDS)) {
          q.put(element);
        }
      }
      default -> {
        if (!q.offer(element)) {
          q.put(element);
        }
      }
    }
  }

  /**
   * Removes into the cleared {@code batch} by {@code take}, timed {@code poll}, {@code poll} or
   * {@code drainTo} of up to five, chosen at random; the batch may stay empty.
   */
  static <E> void removeAnyWay(BlockingQueue<E> q, List<E> batch) throws InterruptedException {
    batch.clear();
    switch (ThreadLocalRandom.current().nextInt(4)) {
      case 0 -> batch.add(q.take());
      case 1 -> {
        E e = q.poll(1, TimeUnit.MILLISECONDS);
        if (e != null) {
          batch.add(e);
        }
      }
      case 2 -> {
        E e = q.poll();
        if (e != null) {
          batch.add(e);
        }
      }
      default -> q.drainTo(batch, 5);
    }
  }

  /** What a stress consumer does with each element it removed. */
  interface Removal<E> {
    void removed(E element) throws Exception;
  }

  /**
   * A stress consumer's loop: removes elements any way ({@link #removeAnyWay}) until it removes
   * {@code end}, the marker that stops one consumer, and hands every element it removed, markers
   * included, to {@code removal} in order. A second marker caught by the same drain belongs to
   * another consumer and is put back.
   */
  static <E> void consumeUntil(BlockingQueue<E> q, E end, Removal<E> removal) throws Exception {
    List<E> batch = new ArrayList<>();
    while (true) {
      removeAnyWay(q, batch);
      boolean ended = false;
      for (E e : batch) {
        if (e.equals(end)) {
          if (ended) {
            q.put(end);
          }
          ended = true;
        }
        removal.removed(e);
      }
      if (ended) {
        return;
      }
    }
  }

  /**
   * Starts {@code count} stress consumers, {@code consumer-0} and on, each running {@link
   * #consumeUntil} until it removes {@code end}. Each keeps the elements it removed, markers left
   * out, in a list of its own, then hands every element, markers included, to {@code afterEach}.
   * Returns the lists at once; read them only after {@link #joinAll}, whose joins make the
   * consumers' additions visible.
   */
  <E> List<List<E>> startConsumers(int count, BlockingQueue<E> q, E end, Removal<E> afterEach) {
    List<List<E>> consumed = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      List<E> mine = new ArrayList<>();
      consumed.add(mine);
      start(
          "consumer-" + c,
          () ->
              consumeUntil(
                  q,
                  end,
                  e -> {
                    if (!e.equals(end)) {
                      mine.add(e);
                    }
                    afterEach.removed(e);
                  }));
    }
    return consumed;
  }

  /** Asserts that {@code consumedIds} holds each id from 0 to {@code total - 1} exactly once. */
  static void assertConsumedEachOnce(int total, IntStream consumedIds) {
    boolean[] seen = new boolean[total];
    long duplicates = 0;
    long count = 0;
    for (PrimitiveIterator.OfInt ids = consumedIds.iterator(); ids.hasNext(); ) {
      int id = ids.nextInt();
      if (seen[id]) {
        duplicates++;
      }
      seen[id] = true;
      count++;
    }
    assertThat(duplicates).as("elements consumed twice").isZero();
    assertThat(count).as("elements consumed").isEqualTo(total);
  }
}
