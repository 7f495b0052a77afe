package io.github.concurrencycourse.memorymodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TreiberStackTest {

  @Test
  void popsInTheReverseOrderOfPushes() {
    TreiberStack<String> stack = new TreiberStack<>();
    stack.push("a");
    stack.push("b");
    stack.push("c");

    assertThat(stack.size()).isEqualTo(3);
    assertThat(stack).hasToString("[c, b, a]");
    assertThat(stack.peek()).isEqualTo("c");
    assertThat(List.of(stack.pop(), stack.pop(), stack.pop())).containsExactly("c", "b", "a");
    assertThat(stack.pop()).isNull();
    assertThat(stack.peek()).isNull();
    assertThat(stack.isEmpty()).isTrue();
    assertThat(stack).hasToString("[]");
  }

  @Test
  void rejectsNull() {
    TreiberStack<String> stack = new TreiberStack<>();

    assertThatThrownBy(() -> stack.push(null)).isInstanceOf(NullPointerException.class);
    assertThat(stack.isEmpty()).isTrue();
  }

  @Test
  @Timeout(30)
  void everyPushedElementIsPoppedExactlyOnceUnderContention() throws Exception {
    int threads = 4;
    int perThread = 50_000;
    TreiberStack<Integer> stack = new TreiberStack<>();
    ConcurrentLinkedQueue<Integer> popped = new ConcurrentLinkedQueue<>();
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t * perThread;
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    for (int i = first; i < first + perThread; i++) {
                      stack.push(i);
                      if (i % 2 == 1) {
                        popped.add(stack.pop());
                      }
                    }
                  }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    for (Integer rest = stack.pop(); rest != null; rest = stack.pop()) {
      popped.add(rest);
    }

    assertThat(popped).hasSize(threads * perThread).doesNotHaveDuplicates().doesNotContainNull();
  }
}
