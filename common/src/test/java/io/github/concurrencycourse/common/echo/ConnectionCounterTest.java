package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConnectionCounterTest {

  @Test
  void countsOpenedAndClosedConnections() {
    ConnectionCounter counter = new ConnectionCounter();

    counter.opened();
    counter.opened();
    counter.closed();

    assertThat(counter.active()).isEqualTo(1);
    assertThat(counter.total()).isEqualTo(2);
    assertThat(counter).hasToString("connections: 1 live, 2 total");
  }

  @Test
  void rejectsACloseWithoutAnOpenConnectionAndStaysAtZero() {
    ConnectionCounter counter = new ConnectionCounter();

    assertThatThrownBy(counter::closed).isInstanceOf(IllegalStateException.class);
    assertThat(counter.active()).isZero();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void losesNoUpdateUnderConcurrentConnections() throws Exception {
    int threads = 4;
    int connectionsPerThread = 50_000;
    ConnectionCounter counter = new ConnectionCounter();
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<?>> workers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < connectionsPerThread; i++) {
                    counter.opened();
                    counter.closed();
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    }

    assertThat(counter.active()).isZero();
    assertThat(counter.total()).isEqualTo((long) threads * connectionsPerThread);
  }
}
