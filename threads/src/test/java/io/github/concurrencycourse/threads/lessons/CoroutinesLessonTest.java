package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The coroutine lesson's claims, from one run at the seed's pace: tasks of one second, so that a
 * run of ten thousand is measured against a task's time, not against the cost of starting them.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoroutinesLessonTest {

  private static final String CHILD_PREFIX = "[" + CoroutinesLesson.CHILD_NAME + "] ";

  private List<String> lines;
  private OneCarrierReport report;

  @BeforeAll
  void runTheLessonOnceAtTheSeedsPace() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    LessonRun run = new LessonRun(Pace.SEED);

    new CoroutinesLesson().run(run.context());

    lines = run.lines();
    report =
        OneCarrierReport.parse(
            lines.stream()
                .filter(l -> l.startsWith(CHILD_PREFIX))
                .map(l -> l.substring(CHILD_PREFIX.length()))
                .toList());
    try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
      assertThat(descendants.filter(ProcessHandle::isAlive)).isEmpty();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInSameThread()
        .untilAsserted(() -> assertThat(before.startedSince()).isEmpty());
  }

  @Test
  void theGeneratorsProducerAndConsumerTakeTurnsInOneThread() {
    String self = Thread.currentThread().getName();
    LessonRun run = new LessonRun(Pace.TEST);

    Set<String> threads = CoroutinesLesson.produceAndConsume(run.context().out());

    assertThat(threads).containsExactly(self);
    assertThat(run.lines())
        .containsExactly(
            "生产者 produced 苹果0   (thread " + self + ")",
            "消费者 ate 苹果0   (thread " + self + ")",
            "生产者 produced 苹果1   (thread " + self + ")",
            "消费者 ate 苹果1   (thread " + self + ")",
            "生产者 produced 苹果2   (thread " + self + ")",
            "消费者 ate 苹果2   (thread " + self + ")");
  }

  @Test
  void tenThousandBlockingTasksShareOneCarrierThreadAndTakeAboutOneTasksTime() {
    assertThat(lines)
        .contains(
            CHILD_PREFIX
                + "JDK "
                + Runtime.version().feature()
                + ", jdk.virtualThreadScheduler.parallelism=1,"
                + " jdk.virtualThreadScheduler.maxPoolSize=1");
    assertThat(report.tasks()).isEqualTo(10_000);
    assertThat(report.task()).isEqualTo(Duration.ofSeconds(1));
    // Every task, before and after it blocked, ran on the same one carrier.
    assertThat(report.carriers())
        .singleElement()
        .asString()
        .matches("ForkJoinPool-\\d+-worker-\\d+");
    // Concurrency, counted: one after another, no two tasks would ever be blocked at once.
    assertThat(report.mostBlockedAtOnce()).isGreaterThan(1_000);
    // Timed against the task itself: at least one task's time, and nowhere near 10 000 of them.
    assertThat(report.wall())
        .isGreaterThanOrEqualTo(report.task())
        .isLessThan(report.task().multipliedBy(4));
  }

  @Test
  void switchingAfterEveryStepMakesACpuJobSlower() {
    assertThat(report.straight().switches()).as("straight: one task, then the other").isOne();
    assertThat(report.switched().switches())
        .as("switched: the carrier went back and forth at every step")
        .isGreaterThanOrEqualTo(OneCarrierDemo.CPU_STEPS);
    // Both measured in the same run, best of three each; switching costs about a microsecond per
    // switch against a fraction of that per step, so the real ratio is far above this margin.
    assertThat(report.switchingSlowdown()).isGreaterThan(2);
  }

  @Test
  void jfrShowsWhatPinsAVirtualThreadOnThisJdk() {
    assertThat(report.pinnedBy())
        .containsOnlyKeys(PinningProbe.SYNCHRONIZED, PinningProbe.CLASS_INITIALIZER);
    assertThat(report.pinnedBy().get(PinningProbe.CLASS_INITIALIZER))
        .hasValueSatisfying(reason -> assertThat(reason).contains("<clinit>"));
    Optional<String> synchronizedPin = report.pinnedBy().get(PinningProbe.SYNCHRONIZED);
    if (Runtime.version().feature() >= 24) {
      assertThat(synchronizedPin)
          .as("JEP 491: a virtual thread unmounts holding a monitor")
          .isEmpty();
    } else {
      assertThat(synchronizedPin).isPresent();
    }
  }

  @Test
  void theLessonSumsUpWhatTheChildJvmShowed() {
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith("every line above was printed by [")
                    && l.endsWith("]: one thread, two tasks taking turns"))
        .anyMatch(
            l ->
                l.matches(
                    "2\\. 10000 tasks ran on 1 carrier thread \\[ForkJoinPool-\\d+-worker-\\d+\\], up to"
                        + " \\d+ blocked at once, in \\d+\\.\\d task times \\(one after another they"
                        + " would take 10000\\)"))
        .anyMatch(
            l ->
                l.matches(
                    "3\\. switching after every step made the CPU job \\d+\\.\\dx slower: .*"))
        .contains(
            "4. sleep inside a class initializer: pins the virtual thread to its carrier on JDK "
                + Runtime.version().feature());
  }

  @Test
  void aCarrierIsReadFromAVirtualThreadsName() throws InterruptedException {
    String[] carrier = new String[1];
    Thread.ofVirtual()
        .start(() -> carrier[0] = OneCarrierDemo.carrierOf(Thread.currentThread()))
        .join();

    assertThat(carrier[0]).matches("ForkJoinPool-\\d+-worker-\\d+");
    assertThat(OneCarrierDemo.carrierOf(Thread.ofVirtual().unstarted(() -> {})))
        .isEqualTo("(not mounted)");
  }
}
