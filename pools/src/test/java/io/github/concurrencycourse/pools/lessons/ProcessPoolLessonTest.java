package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.pools.lessons.ProcessPoolLesson.Chunk;
import io.github.concurrencycourse.pools.lessons.ProcessPoolLesson.CountPrimes;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProcessPoolLessonTest {

  /** The number of primes below 1 000 000, as a sieve counts them. */
  private static final long PRIMES_BELOW_LIMIT = 78_498;

  @Test
  @Timeout(30)
  void bothPoolsCountTheSamePrimesAndTheCrashStaysWithItsTask() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    LessonRun output = new LessonRun(new Pace(0.02));

    new ProcessPoolLesson().run(output.context());
    List<String> lines = output.lines();

    for (String pool : List.of("thread pool", "process pool")) {
      for (int run = 1; run <= ProcessPoolLesson.RUNS; run++) {
        String expected = pool + ", run " + run + ": " + PRIMES_BELOW_LIMIT + " primes in \\d+ ms";
        assertThat(lines).anyMatch(line -> line.matches(expected));
      }
      assertThat(lines).anyMatch(line -> line.matches(pool + " +\\d+ ms +\\d+ ms"));
    }
    assertThat(lines)
        .anyMatch(
            line ->
                line.matches(
                    "process pool / thread pool: \\d+\\.\\dx on the first run \\(JVM start"
                        + " included\\), \\d+\\.\\dx warm"))
        .contains(
            "Java threads compute in parallel (no GIL), so processes buy no speed here: they");

    List<Chunk> seedChunks = ProcessPoolLesson.chunks(ProcessPoolLesson.LIMIT / 4, 10);
    for (int task = 0; task < 10; task++) {
      if (task == 3) {
        continue;
      }
      long expected = sieveCount(seedChunks.get(task));
      String prefix = "task " + task + ": " + expected + " primes (worker pid ";
      assertThat(lines).anyMatch(line -> line.startsWith(prefix));
    }
    assertThat(lines)
        .anyMatch(
            line ->
                line.matches(
                    "task 3 failed: worker 'process-pool-\\d+-worker-1' \\(pid \\d+\\) died running"
                        + " task .*ExitInstead: exited with code 3 \\(System.exit or a fatal error in the worker\\)"))
        .anyMatch(
            line -> line.matches("\\[process-pool-\\d+-worker-1] task 3 calls System.exit\\(3\\)"));
    Matcher handOver =
        Pattern.compile(
                "tasks before the crash ran on worker pid \\[(\\d+)], after it on \\[(\\d+)]: a new"
                    + " worker")
            .matcher(output.text());
    assertThat(handOver.find()).as("one pid before the crash, another after").isTrue();
    assertThat(handOver.group(1)).isNotEqualTo(handOver.group(2));
    assertThat(lines).last().isEqualTo("main");

    try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
      assertThat(descendants.filter(ProcessHandle::isAlive)).isEmpty();
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInSameThread()
        .untilAsserted(() -> assertThat(before.startedSince()).isEmpty());
  }

  @Test
  void trialDivisionAgreesWithASieve() {
    for (Chunk chunk : ProcessPoolLesson.chunks(200_000, 7)) {
      assertThat(new CountPrimes().run(chunk).primes()).isEqualTo(sieveCount(chunk));
    }
    assertThat(sieveCount(new Chunk(0, ProcessPoolLesson.LIMIT))).isEqualTo(PRIMES_BELOW_LIMIT);
  }

  private static long sieveCount(Chunk chunk) {
    int limit = Math.toIntExact(chunk.to());
    BitSet composite = new BitSet(limit);
    composite.set(0, Math.min(2, limit));
    for (int p = 2; (long) p * p < limit; p++) {
      if (!composite.get(p)) {
        for (int multiple = p * p; multiple < limit; multiple += p) {
          composite.set(multiple);
        }
      }
    }
    int from = Math.toIntExact(chunk.from());
    return (chunk.to() - from) - composite.get(from, limit).cardinality();
  }
}
