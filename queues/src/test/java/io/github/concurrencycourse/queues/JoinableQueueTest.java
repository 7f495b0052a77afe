package io.github.concurrencycourse.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JoinableQueueTest {

  @Test
  void eachInsertionCountsOneUnfinishedTask() throws InterruptedException {
    JoinableQueue<String> q = new JoinableQueue<>();
    q.put("a");
    q.add("b");
    assertThat(q.offer("c")).isTrue();
    assertThat(q.offer("d", 1, TimeUnit.SECONDS)).isTrue();
    q.addAll(List.of("e", "f"));
    assertThat(q.unfinishedTasks()).isEqualTo(6);
    assertThat(q).containsExactly("a", "b", "c", "d", "e", "f");
  }

  @Test
  void retrievalLeavesTheCountToTaskDone() throws InterruptedException {
    JoinableQueue<String> q = new JoinableQueue<>();
    q.addAll(List.of("a", "b", "c", "d", "e"));
    assertThat(q.take()).isEqualTo("a");
    assertThat(q.poll()).isEqualTo("b");
    assertThat(q.poll(1, TimeUnit.SECONDS)).isEqualTo("c");
    assertThat(q.remove()).isEqualTo("d");
    List<String> drained = new ArrayList<>();
    assertThat(q.drainTo(drained)).isEqualTo(1);
    assertThat(q).isEmpty();
    assertThat(q.unfinishedTasks()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      q.taskDone();
    }
    assertThat(q.unfinishedTasks()).isZero();
    assertThat(q.join(0, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void moreTaskDoneCallsThanItemsThrowAndChangeNothing() {
    JoinableQueue<String> q = new JoinableQueue<>();
    assertThatThrownBy(q::taskDone)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("more times than elements");
    q.add("a");
    q.taskDone();
    assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
    assertThat(q.unfinishedTasks()).isZero();
    assertThat(q).containsExactly("a"); // taskDone is bookkeeping: the element is still there
  }

  @Test
  void joinReturnsAtOnceWhenNothingIsUnfinished() throws InterruptedException {
    JoinableQueue<String> q = new JoinableQueue<>();
    q.join();
    assertThat(q.join(0, TimeUnit.NANOSECONDS)).isTrue();
  }

  @Test
  void timedJoinGivesUpWhileATaskIsUnfinished() throws InterruptedException {
    JoinableQueue<String> q = new JoinableQueue<>();
    q.add("a");
    q.poll();
    long start = System.nanoTime();
    assertThat(q.join(50, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
  }

  @Test
  @Timeout(10)
  void joinWaitsForTheLastTaskDoneAndWakesEveryJoiner() throws Exception {
    JoinableQueue<Integer> q = new JoinableQueue<>();
    q.add(1);
    q.add(2);
    CountDownLatch returned = new CountDownLatch(3);
    List<Thread> joiners = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      joiners.add(startJoiner(q, returned));
    }
    await().until(() -> joiners.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    q.take();
    q.taskDone();
    q.take();
    assertThat(returned.await(50, TimeUnit.MILLISECONDS))
        .as("join returned with one task unfinished")
        .isFalse();
    q.taskDone();
    assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
    for (Thread t : joiners) {
      t.join();
    }
  }

  @Test
  void aRefusedOfferWithdrawsItsCount() throws InterruptedException {
    JoinableQueue<String> q = new JoinableQueue<>(1);
    q.put("a");
    assertThat(q.offer("b")).isFalse();
    assertThat(q.offer("b", 10, TimeUnit.MILLISECONDS)).isFalse();
    assertThatThrownBy(() -> q.add("b")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
    assertThat(q.unfinishedTasks()).isEqualTo(1);
    assertThat(q.remainingCapacity()).isZero();
  }

  @Test
  @Timeout(10)
  void anInterruptedPutWithdrawsItsCount() throws Exception {
    JoinableQueue<String> q = new JoinableQueue<>(1);
    q.put("a");
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread producer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    q.put("b");
                  } catch (InterruptedException e) {
                    interrupted.set(true);
                  }
                });
    await().until(() -> producer.getState() == Thread.State.WAITING);
    assertThat(q.unfinishedTasks()).as("a put in progress is already counted").isEqualTo(2);
    producer.interrupt();
    producer.join();
    assertThat(interrupted).isTrue();
    assertThat(q.unfinishedTasks()).isEqualTo(1);
    assertThat(q).containsExactly("a");
  }

  @Test
  void discardingElementsFinishesTheirTasks() throws InterruptedException {
    JoinableQueue<String> q = new JoinableQueue<>();
    q.addAll(List.of("a", "b", "c", "d", "e", "f"));
    assertThat(q.remove("b")).isTrue();
    assertThat(q.unfinishedTasks()).isEqualTo(5);
    assertThat(q.remove("zzz")).isFalse();
    assertThat(q.unfinishedTasks()).isEqualTo(5);
    Iterator<String> it = q.iterator();
    it.next();
    it.remove(); // "a"
    assertThat(q.unfinishedTasks()).isEqualTo(4);
    q.removeIf("c"::equals);
    assertThat(q.unfinishedTasks()).isEqualTo(3);
    q.clear();
    assertThat(q).isEmpty();
    assertThat(q.unfinishedTasks()).isZero();
    assertThat(q.join(0, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @Timeout(10)
  void discardingTheLastUnfinishedElementsWakesAJoiner() throws Exception {
    JoinableQueue<String> q = new JoinableQueue<>();
    q.addAll(List.of("a", "b"));
    CountDownLatch returned = new CountDownLatch(1);
    Thread joiner = startJoiner(q, returned);
    await().until(() -> joiner.getState() == Thread.State.WAITING);

    q.clear();

    assertThat(returned.await(5, TimeUnit.SECONDS)).as("join returned").isTrue();
    joiner.join();
  }

  @Test
  void delegatesOrderAndCapacityToTheQueueItWraps() throws InterruptedException {
    JoinableQueue<Integer> q = new JoinableQueue<>(new BoundedPriorityBlockingQueue<>(3));
    q.put(9);
    q.put(1);
    q.put(5);
    assertThat(q.offer(0)).isFalse();
    assertThat(q.take()).isEqualTo(1);
    assertThat(q.peek()).isEqualTo(5);
    assertThat(q.contains(9)).isTrue();
    assertThat(q.contains(1)).isFalse();
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.remainingCapacity()).isEqualTo(1);
    assertThat(q.toArray()).containsExactlyInAnyOrder(5, 9);
    assertThat(q.toArray(new Integer[0])).containsExactlyInAnyOrder(5, 9);
    assertThat(q.unfinishedTasks()).isEqualTo(3);
    assertThat(q.toString()).contains("unfinished tasks: 3");
  }

  @Test
  void rejectsADelegateThatIsNotEmptyOrIsJoinable() {
    assertThatThrownBy(() -> new JoinableQueue<>(new LinkedBlockingQueue<>(List.of("x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be empty");
    assertThatThrownBy(() -> new JoinableQueue<>(new JoinableQueue<String>()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JoinableQueue<String>(0))
        .isInstanceOf(IllegalArgumentException.class);
    JoinableQueue<String> q = new JoinableQueue<>(new ArrayBlockingQueue<>(2));
    assertThatThrownBy(() -> q.drainTo(q)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @Timeout(10)
  void aConsumerBlockedInTakeWakesOnPut() throws Exception {
    JoinableQueue<String> q = new JoinableQueue<>(2);
    AtomicReference<String> taken = new AtomicReference<>();
    Thread consumer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    taken.set(q.take());
                    q.taskDone();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    await().until(() -> consumer.getState() == Thread.State.WAITING);
    q.put("x");
    q.join();
    consumer.join();
    assertThat(taken.get()).isEqualTo("x");
  }

  /** Starts a thread that joins {@code q} and then counts {@code returned} down. */
  private static Thread startJoiner(JoinableQueue<?> q, CountDownLatch returned) {
    return Thread.ofPlatform()
        .start(
            () -> {
              try {
                q.join();
                returned.countDown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }
}
