package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.lesson.Pace;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConditionLessonTest {

  @Test
  void everyItemIsEatenExactlyOnceAndTheBufferNeverOverflows() throws InterruptedException {
    ConditionLesson.Outcome outcome =
        ConditionLesson.story(new PrintStream(OutputStream.nullOutputStream()), Pace.TEST);

    List<String> expected =
        Stream.of("苹果", "蔬菜", "牛奶")
            .flatMap(food -> IntStream.range(0, 10).mapToObj(i -> food + i))
            .sorted()
            .toList();
    assertThat(outcome.eaten().stream().sorted().toList()).isEqualTo(expected);
    assertThat(outcome.mostHeld()).isBetween(1, ConditionLesson.CAPACITY);
    // Producers make three items for every one the consumers eat, so they must find it full.
    assertThat(outcome.blockedPuts()).isPositive();
  }

  @Test
  void putWaitsWhileTheBufferIsFullAndTakeFreesASlot() throws InterruptedException {
    ConditionLesson.BoundedBuffer<Integer> buffer = new ConditionLesson.BoundedBuffer<>(2);
    buffer.put(1);
    buffer.put(2);
    AtomicReference<Boolean> waited = new AtomicReference<>();
    Thread producer = Thread.ofPlatform().start(() -> putQuietly(buffer, 3, waited));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> buffer.blockedPuts() == 1);
      assertThat(producer.isAlive()).isTrue();

      assertThat(buffer.take()).isEqualTo(1);

      assertThat(producer.join(Duration.ofSeconds(10))).isTrue();
      assertThat(waited).hasValue(true);
      assertThat(buffer.take()).isEqualTo(2);
      assertThat(buffer.take()).isEqualTo(3);
    } finally {
      producer.interrupt();
      producer.join();
    }
  }

  @Test
  void takeWaitsWhileTheBufferIsEmpty() throws InterruptedException {
    ConditionLesson.BoundedBuffer<String> buffer = new ConditionLesson.BoundedBuffer<>(1);
    AtomicReference<String> taken = new AtomicReference<>();
    Thread consumer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    taken.set(buffer.take());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> consumer.getState() == Thread.State.WAITING);
      assertThat(taken).hasValue(null);

      buffer.put("苹果0");

      assertThat(consumer.join(Duration.ofSeconds(10))).isTrue();
      assertThat(taken).hasValue("苹果0");
    } finally {
      consumer.interrupt();
      consumer.join();
    }
  }

  @Test
  void manyProducersAndConsumersLoseAndDuplicateNothing() throws InterruptedException {
    ConditionLesson.BoundedBuffer<Integer> buffer = new ConditionLesson.BoundedBuffer<>(3);
    List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    try {
      for (int p = 0; p < 4; p++) {
        int base = p * 10_000;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < 2_000; i++) {
                        putQuietly(buffer, base + i, new AtomicReference<>());
                      }
                    }));
      }
      for (int c = 0; c < 4; c++) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        for (int i = 0; i < 2_000; i++) {
                          taken.add(buffer.take());
                        }
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      for (Thread thread : threads) {
        assertThat(thread.join(Duration.ofSeconds(30))).isTrue();
      }
    } finally {
      threads.forEach(Thread::interrupt);
      for (Thread thread : threads) {
        thread.join();
      }
    }
    assertThat(taken).hasSize(8_000).doesNotHaveDuplicates();
    assertThat(buffer.mostHeld()).isBetween(1, 3);
  }

  @Test
  void rejectsABadCapacityAndNullItems() {
    assertThatThrownBy(() -> new ConditionLesson.BoundedBuffer<String>(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConditionLesson.BoundedBuffer<String>(1).put(null))
        .isInstanceOf(NullPointerException.class);
  }

  private static void putQuietly(
      ConditionLesson.BoundedBuffer<Integer> buffer, int item, AtomicReference<Boolean> waited) {
    try {
      waited.set(buffer.put(item));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
