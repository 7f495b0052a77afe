package io.github.concurrencycourse.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelSumTest {

  private static final int THRESHOLD = 100;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 99, 100, 101, 199, 200, 201, 10_007})
  void everyWayAgreesWithTheLoopAtEveryBoundary(int length) throws InterruptedException {
    long[] values = new Random(length).longs(length, -1_000_000, 1_000_000).toArray();
    long expected = LongStream.of(values).sum();
    try (ForkJoinPool forkJoin = new ForkJoinPool(2);
        ExecutorService plain = Executors.newFixedThreadPool(2)) {
      assertThat(ParallelSum.sequential(values, 0, length)).isEqualTo(expected);
      assertThat(ParallelSum.forkJoin(forkJoin, values, THRESHOLD)).isEqualTo(expected);
      assertThat(ParallelSum.chunked(plain, values, 3)).isEqualTo(expected);
      assertThat(ParallelSum.chunked(plain, values, 1)).isEqualTo(expected);
    }
  }

  @Test
  void wrapsOnOverflowLikeTheLoop() throws InterruptedException {
    long[] values = new long[1000];
    java.util.Arrays.fill(values, Long.MAX_VALUE / 10);
    long expected = 0;
    for (long v : values) {
      expected += v;
    }
    try (ForkJoinPool forkJoin = new ForkJoinPool(2);
        ExecutorService plain = Executors.newFixedThreadPool(2)) {
      assertThat(ParallelSum.forkJoin(forkJoin, values, 7)).isEqualTo(expected);
      assertThat(ParallelSum.chunked(plain, values, 5)).isEqualTo(expected);
    }
  }

  @Test
  void rejectsBadArguments() {
    try (ForkJoinPool forkJoin = new ForkJoinPool(1);
        ExecutorService plain = Executors.newSingleThreadExecutor()) {
      assertThatThrownBy(() -> ParallelSum.forkJoin(forkJoin, new long[1], 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ParallelSum.chunked(plain, new long[1], 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ParallelSum.sequential(new long[2], 1, 3))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> ParallelSum.forkJoin(forkJoin, null, 1))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
