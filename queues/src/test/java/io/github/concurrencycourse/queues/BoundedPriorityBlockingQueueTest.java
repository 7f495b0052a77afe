package io.github.concurrencycourse.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BoundedPriorityBlockingQueueTest {

  /** An element whose order ignores its label, to see which of several equals comes out first. */
  record Job(int priority, String label) {}

  private static final Comparator<Job> BY_PRIORITY = Comparator.comparingInt(Job::priority);

  @Test
  void takesTheSmallestFirstInNaturalOrder() throws InterruptedException {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(100);
    List<Integer> input = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < 100; i++) {
      input.add(random.nextInt(1000));
    }
    for (int e : input) {
      q.put(e);
    }
    List<Integer> output = new ArrayList<>();
    while (!q.isEmpty()) {
      output.add(q.take());
    }
    assertThat(output).isSorted().containsExactlyInAnyOrderElementsOf(input);
  }

  @Test
  void equalPrioritiesLeaveInInsertionOrder() {
    BoundedPriorityBlockingQueue<Job> q = new BoundedPriorityBlockingQueue<>(1000, BY_PRIORITY);
    Random random = new Random(7);
    List<Job> input = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      input.add(new Job(random.nextInt(5), "job" + i));
    }
    input.forEach(q::add);
    // Remove a few from the middle too, which moves elements around the heap.
    q.remove(input.get(500));
    q.remove(input.get(10));
    List<Job> expected = new ArrayList<>(input);
    expected.remove(500);
    expected.remove(10);
    expected.sort(BY_PRIORITY); // List.sort is stable: equal priorities keep insertion order

    List<Job> output = new ArrayList<>();
    q.drainTo(output);
    assertThat(output).containsExactlyElementsOf(expected);
  }

  @Test
  void staysFifoAcrossAnOverflowOfTheInsertionCounter() {
    BoundedPriorityBlockingQueue<Job> q =
        new BoundedPriorityBlockingQueue<>(10, BY_PRIORITY, Long.MAX_VALUE - 3);
    for (int i = 0; i < 8; i++) {
      q.add(new Job(1, "job" + i));
    }
    List<String> labels = new ArrayList<>();
    while (!q.isEmpty()) {
      labels.add(q.poll().label());
    }
    assertThat(labels)
        .containsExactly("job0", "job1", "job2", "job3", "job4", "job5", "job6", "job7");
  }

  @Test
  void refusesBeyondItsCapacity() throws InterruptedException {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(3);
    assertThat(q.offer(3)).isTrue();
    assertThat(q.remainingCapacity()).isEqualTo(2);
    q.add(1);
    q.put(2);
    assertThat(q.remainingCapacity()).isZero();
    assertThat(q.offer(0)).isFalse();
    assertThatThrownBy(() -> q.add(0)).isInstanceOf(IllegalStateException.class);
    long start = System.nanoTime();
    assertThat(q.offer(0, 50, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    assertThat(q).hasSize(3).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(q.capacity()).isEqualTo(3);
    // Full, its storage has no free slot past the last element: nothing may look there.
    assertThat(q.contains(7)).isFalse();
    assertThat(q.remove(7)).isFalse();
    Integer[] exact = new Integer[3];
    assertThat(q.toArray(exact)).isSameAs(exact);
    assertThat(exact).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void timedPollGivesUpOnAnEmptyQueue() throws InterruptedException {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(3);
    assertThat(q.poll()).isNull();
    assertThat(q.peek()).isNull();
    long start = System.nanoTime();
    assertThat(q.poll(50, TimeUnit.MILLISECONDS)).isNull();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    assertThatThrownBy(q::remove).isInstanceOf(java.util.NoSuchElementException.class);
  }

  @Test
  @Timeout(10)
  void putBlocksWhileFullAndResumesWhenAnElementIsTaken() throws Exception {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(1);
    q.put(1);
    Thread producer = Thread.ofPlatform().start(() -> failOnInterrupt(() -> q.put(2)));
    await().until(() -> producer.getState() == Thread.State.WAITING);
    assertThat(q).containsExactly(1);
    assertThat(q.take()).isEqualTo(1);
    producer.join();
    assertThat(q).containsExactly(2);
  }

  @Test
  @Timeout(10)
  void takeBlocksWhileEmptyAndResumesWhenAnElementIsPut() throws Exception {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(1);
    AtomicReference<Integer> taken = new AtomicReference<>();
    Thread consumer = Thread.ofPlatform().start(() -> failOnInterrupt(() -> taken.set(q.take())));
    await().until(() -> consumer.getState() == Thread.State.WAITING);
    q.put(7);
    consumer.join();
    assertThat(taken.get()).isEqualTo(7);
  }

  @Test
  @Timeout(10)
  void clearRemoveAndDrainWakeWaitingProducers() throws Exception {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(2);
    q.put(1);
    q.put(2);
    List<Thread> producers = new ArrayList<>();
    for (int i = 10; i < 12; i++) {
      int e = i;
      producers.add(Thread.ofPlatform().start(() -> failOnInterrupt(() -> q.put(e))));
    }
    awaitWaiting(producers);
    q.clear(); // must wake both, not one
    for (Thread t : producers) {
      t.join();
    }
    assertThat(q).containsExactlyInAnyOrder(10, 11);

    Thread byRemove = Thread.ofPlatform().start(() -> failOnInterrupt(() -> q.put(20)));
    awaitWaiting(List.of(byRemove));
    assertThat(q.remove(10)).isTrue();
    byRemove.join();

    Thread byDrain = Thread.ofPlatform().start(() -> failOnInterrupt(() -> q.put(30)));
    awaitWaiting(List.of(byDrain));
    assertThat(q.drainTo(new ArrayList<>(), 1)).isEqualTo(1);
    byDrain.join();
    assertThat(q).hasSize(2);
  }

  @Test
  @Timeout(10)
  void anInterruptedPutLeavesTheQueueUnchanged() throws Exception {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(1);
    q.put(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread producer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    q.put(2);
                  } catch (InterruptedException e) {
                    thrown.set(e);
                  }
                });
    await().until(() -> producer.getState() == Thread.State.WAITING);
    producer.interrupt();
    producer.join();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(q).containsExactly(1);
  }

  @Test
  void drainToMovesInPriorityOrderAndRespectsTheLimit() {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(10);
    List.of(5, 3, 9, 1, 7).forEach(q::add);
    List<Integer> firstTwo = new ArrayList<>();
    assertThat(q.drainTo(firstTwo, 2)).isEqualTo(2);
    assertThat(firstTwo).containsExactly(1, 3);
    assertThat(q.drainTo(firstTwo, 0)).isZero();
    List<Integer> rest = new ArrayList<>();
    assertThat(q.drainTo(rest)).isEqualTo(3);
    assertThat(rest).containsExactly(5, 7, 9);
    assertThat(q).isEmpty();
  }

  @Test
  void drainToLosesNothingWhenTheTargetRefuses() {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(10);
    List.of(1, 2, 3, 4).forEach(q::add);
    List<Integer> accepted = new ArrayList<>();
    List<Integer> picky =
        new ArrayList<>() {
          @Override
          public boolean add(Integer e) {
            if (e == 3) {
              throw new IllegalArgumentException("no 3s");
            }
            accepted.add(e);
            return super.add(e);
          }
        };
    assertThatThrownBy(() -> q.drainTo(picky)).hasMessage("no 3s");
    assertThat(accepted).containsExactly(1, 2);
    assertThat(q.peek()).isEqualTo(3);
    assertThat(q).containsExactlyInAnyOrder(3, 4);
  }

  @Test
  void rejectsBadInputWithClearErrors() {
    BoundedPriorityBlockingQueue<Object> natural = new BoundedPriorityBlockingQueue<>(3);
    assertThatThrownBy(() -> natural.offer(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> natural.put(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> natural.offer(null, 1, TimeUnit.SECONDS))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> natural.offer(new Object()))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("not Comparable");
    assertThatThrownBy(() -> natural.drainTo(natural)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> natural.drainTo(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new BoundedPriorityBlockingQueue<Integer>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThat(natural).isEmpty();
  }

  @Test
  void anElementThatCannotBeComparedLeavesTheQueueAsItWas() throws InterruptedException {
    BoundedPriorityBlockingQueue<Object> q = new BoundedPriorityBlockingQueue<>(20);
    List<Integer> numbers = List.of(9, 4, 7, 1, 8, 2, 6, 3, 5, 0);
    q.addAll(numbers);
    assertThatThrownBy(() -> q.put("not a number")).isInstanceOf(ClassCastException.class);
    assertThatThrownBy(() -> q.offer("not a number")).isInstanceOf(ClassCastException.class);
    assertThat(q).hasSize(10);
    List<Object> out = new ArrayList<>();
    q.drainTo(out);
    assertThat(out).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void containsRemoveAndToArray() {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(5);
    List.of(4, 2, 8).forEach(q::add);
    assertThat(q.contains(2)).isTrue();
    assertThat(q.contains(5)).isFalse();
    assertThat(q.contains(null)).isFalse();
    assertThat(q.toArray()).containsExactlyInAnyOrder(4, 2, 8);
    assertThat(q.toArray(new Integer[0])).containsExactlyInAnyOrder(4, 2, 8);
    Integer[] roomy = new Integer[] {0, 0, 0, 0, 0};
    assertThat(q.toArray(roomy)).isSameAs(roomy);
    assertThat(Arrays.copyOf(roomy, 3)).containsExactlyInAnyOrder(4, 2, 8);
    assertThat(roomy[3]).isNull();
    assertThat(q.remove(2)).isTrue();
    assertThat(q.remove(2)).isFalse();
    assertThat(q.poll()).isEqualTo(4);
    assertThat(q.poll()).isEqualTo(8);
  }

  @Test
  @SuppressWarnings("ReferenceEquality") // the point of the test is which instance is removed
  void iteratorWalksASnapshotAndRemovesTheExactElement() {
    BoundedPriorityBlockingQueue<Job> q = new BoundedPriorityBlockingQueue<>(5, BY_PRIORITY);
    Job a = new Job(1, "a");
    Job twinOfA = new Job(1, "a"); // equal record, different instance
    q.add(a);
    q.add(twinOfA);
    q.add(new Job(2, "b"));
    Iterator<Job> it = q.iterator();
    q.add(new Job(0, "added later"));
    List<Job> seen = new ArrayList<>();
    while (it.hasNext()) {
      Job job = it.next();
      seen.add(job);
      if (job == twinOfA) {
        it.remove();
      }
    }
    assertThat(seen).hasSize(3).noneMatch(j -> j.label().equals("added later"));
    assertThat(q).hasSize(3);
    assertThat(q.stream().filter(j -> j == a)).hasSize(1);
    assertThat(q.stream().filter(j -> j == twinOfA)).isEmpty();
    Iterator<Job> fresh = q.iterator();
    assertThatThrownBy(fresh::remove).isInstanceOf(IllegalStateException.class);
    Job first = fresh.next();
    fresh.remove();
    assertThat(q).hasSize(2).doesNotContain(first);
    fresh.next();
    fresh.next();
    assertThat(fresh.hasNext()).isFalse();
    assertThatThrownBy(fresh::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void removingFromTheMiddleKeepsThePriorityOrder() {
    // Removing an inner element moves the heap's last element into its place, where it may have
    // to rise as well as sink; a fixed seed makes the run the same every time.
    Random random = new Random(42);
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(500);
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int value = random.nextInt(10_000);
      q.add(value);
      kept.add(value);
    }
    for (int i = 0; i < 200; i++) {
      Integer victim = kept.remove(/* index */ random.nextInt(kept.size()));
      assertThat(q.remove(victim)).isTrue();
    }

    List<Integer> drained = new ArrayList<>();
    q.drainTo(drained);

    assertThat(drained).isEqualTo(kept.stream().sorted().toList());
  }

  @Test
  @Timeout(10)
  void readingAndRemovingFromAnotherThreadLeavesTheLockFree() throws InterruptedException {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(5);
    q.addAll(List.of(3, 1, 2));
    List<Object> seen = new ArrayList<>();
    Thread other =
        Thread.ofPlatform()
            .start(
                () -> {
                  seen.add(q.contains(2));
                  seen.add(q.peek());
                  seen.add(q.toArray().length);
                  seen.add(q.toArray(new Integer[0]).length);
                  Iterator<Integer> it = q.iterator();
                  it.next();
                  it.remove();
                });
    other.join();
    assertThat(seen).containsExactly(true, 1, 3, 3);

    // Had the other thread ended still holding the lock, this offer would wait for ever.
    assertThat(q.offer(9, 5, TimeUnit.SECONDS)).isTrue();
    assertThat(q).hasSize(3).contains(9);
  }

  @Test
  void reportsTheOrderingItWasGiven() {
    assertThat(new BoundedPriorityBlockingQueue<Job>(3, BY_PRIORITY).comparator())
        .isSameAs(BY_PRIORITY);
    assertThat(new BoundedPriorityBlockingQueue<Integer>(3).comparator()).isNull();
  }

  @Test
  void growsItsStorageUpToTheCapacity() {
    BoundedPriorityBlockingQueue<Integer> q = new BoundedPriorityBlockingQueue<>(1000);
    for (int i = 999; i >= 0; i--) {
      assertThat(q.offer(i)).isTrue();
    }
    assertThat(q.offer(-1)).isFalse();
    assertThat(q.poll()).isZero();
  }

  private static void awaitWaiting(List<Thread> threads) {
    await().until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
  }

  interface Blocking {
    void run() throws InterruptedException;
  }

  private static void failOnInterrupt(Blocking action) {
    try {
      action.run();
    } catch (InterruptedException e) {
      throw new AssertionError("interrupted", e);
    }
  }
}
