package io.github.concurrencycourse.queues.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.queues.BoundedPriorityBlockingQueue;
import io.github.concurrencycourse.queues.lessons.PriorityQueueLesson.Entry;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three queues of the seed's 线程queue section. */
class ThreadQueueLessonsTest {

  @Test
  @Timeout(10)
  void fifoShowsEachFailureMode() throws Exception {
    LessonRun output = new LessonRun(Pace.TEST);
    new FifoQueueLesson().run(output.context());
    String text = output.text();
    assertThat(text)
        .containsPattern("q\\.offer\\(\"asd4\", 100 ms\\) -> false after waiting \\d+ ms")
        .containsPattern("q\\.offer\\(\"asd4\"\\) +-> false at once")
        .contains("q.add(\"asd4\")          -> IllegalStateException: Queue full")
        .contains("q.remove() -> NoSuchElementException on the empty queue");
    assertThat(output.lines())
        .filteredOn(l -> l.startsWith("q.poll()  ->") || l.startsWith("q.take()  ->"))
        .extracting(l -> l.replaceAll("^\\S+ +-> (\\S+).*", "$1"))
        .containsExactly("asd", "asd2", "asd3", "null");
    int waited = Integer.parseInt(text.replaceAll("(?s).*after waiting (\\d+) ms.*", "$1"));
    assertThat(waited).as("the timed offer waits its whole timeout").isGreaterThanOrEqualTo(100);
  }

  @Test
  @Timeout(10)
  void aFullFifoBlocksPutUntilATake() throws Exception {
    ArrayBlockingQueue<String> q = new ArrayBlockingQueue<>(3);
    q.put("asd");
    q.put("asd2");
    q.put("asd3");
    Thread producer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    q.put("asd4");
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    await().until(() -> producer.getState() == Thread.State.WAITING);
    assertThat(q).containsExactly("asd", "asd2", "asd3");
    assertThat(q.take()).isEqualTo("asd");
    producer.join();
    assertThat(q).containsExactly("asd2", "asd3", "asd4");
  }

  @Test
  void lifoReturnsTheLastOneFirst() throws Exception {
    LessonRun output = new LessonRun(Pace.TEST);
    new LifoQueueLesson().run(output.context());
    assertThat(output.lines()).containsSubsequence("q.putFirst(1)", "q.putFirst(2)", "2", "1");
    assertThat(output.text())
        .contains("q.offerFirst(4) -> false")
        .containsPattern("q\\.takeFirst\\(\\) +-> 3");

    LinkedBlockingDeque<Integer> stack = new LinkedBlockingDeque<>(3);
    for (int i = 1; i <= 3; i++) {
      stack.putFirst(i);
    }
    assertThat(stack.offerFirst(4)).isFalse();
    assertThat(stack.takeFirst()).isEqualTo(3);
  }

  @Test
  void priorityTakesTheSmallestFirstAndTellsTheTwoRulesForEqualsApart() throws Exception {
    LessonRun output = new LessonRun(Pace.TEST);
    new PriorityQueueLesson().run(output.context());
    assertThat(output.text()).contains("q.offer((1, '1111')) -> false: the queue is full");
    assertThat(output.lines())
        .containsSubsequence(
            "q.put((8, 'ssss'))",
            "q.put((4, '44444'))",
            "q.put((9, '9999'))",
            "(4, '44444')",
            "(8, 'ssss')",
            "(9, '9999')",
            "-- equal priorities, put in the order [(4, 'ssss'), (4, '44444'), (4, '9999')]",
            // Python's tuple order: by the second element.
            "(4, '44444')",
            "(4, '9999')",
            "(4, 'ssss')",
            "by priority alone, BoundedPriorityBlockingQueue keeps equals in insertion order:",
            "(4, 'ssss')",
            "(4, '44444')",
            "(4, '9999')",
            "q.put((4, {a=1})); q.put((4, {b=2})) -> ClassCastException, and the queue still"
                + " holds 1 entry (Python: TypeError, and qsize() says 2)",
            "q.put((4, {a=1})); q.put((5, {b=2})) -> both queued: different priorities, the"
                + " payloads are never compared");
  }

  @Test
  void equalPrioritiesFollowTheValueWithThenComparingAndInsertionOrderWithoutIt()
      throws InterruptedException {
    // The data tells the two rules apart: insertion order is not the order of the values.
    List<Entry<String>> entries =
        List.of(new Entry<>(4, "ssss"), new Entry<>(4, "44444"), new Entry<>(4, "9999"));

    assertThat(
            PriorityQueueLesson.drainInOrder(
                new BoundedPriorityBlockingQueue<>(3, PriorityQueueLesson.TUPLE_ORDER), entries))
        .extracting(Entry::value)
        .containsExactly("44444", "9999", "ssss");
    assertThat(
            PriorityQueueLesson.drainInOrder(
                new BoundedPriorityBlockingQueue<Entry<String>>(
                    3, PriorityQueueLesson.PRIORITY_ONLY),
                entries))
        .extracting(Entry::value)
        .containsExactly("ssss", "44444", "9999");
  }

  @Test
  void payloadsThatCannotBeComparedFailOnlyWhenPrioritiesAreEqual() {
    BlockingQueue<Entry<?>> q =
        new BoundedPriorityBlockingQueue<>(3, PriorityQueueLesson.TUPLE_ORDER_UNCHECKED);
    q.add(new Entry<>(4, Map.of("a", 1)));

    assertThatThrownBy(() -> q.add(new Entry<>(4, Map.of("b", 2))))
        .isInstanceOf(ClassCastException.class);
    assertThat(q).hasSize(1);
    q.add(new Entry<>(5, Map.of("b", 2)));
    assertThat(q).hasSize(2);
  }
}
