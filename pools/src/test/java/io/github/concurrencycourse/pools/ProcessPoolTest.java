package io.github.concurrencycourse.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.pools.PoolTasks.Answer;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProcessPoolTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private ThreadSnapshot before;

  @BeforeEach
  void takeCensus() {
    before = ThreadSnapshot.take();
  }

  @AfterEach
  void noWorkerJvmNorThreadIsLeftBehind() {
    assertThat(descendants()).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInSameThread()
        .untilAsserted(() -> assertThat(before.startedSince()).isEmpty());
  }

  @Test
  void resultsAreCorrectNullsTravelAndWorkerJvmsAreReused() throws Exception {
    List<CompletableFuture<Answer>> futures = new ArrayList<>();
    try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
      for (long n = 0; n < 20; n++) {
        futures.add(pool.submit(PoolTasks.Square.class, n));
      }
      for (int n = 0; n < 20; n++) {
        assertThat(futures.get(n).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).value())
            .isEqualTo((long) n * n);
      }
      assertThat(
              pool.submit(PoolTasks.Describe.class, null)
                  .get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .as("null travels both ways")
          .isNull();
      assertThat(
              pool.submit(PoolTasks.Describe.class, 5L).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo("number 5");
    }
    List<Long> pids = futures.stream().map(f -> f.join().pid()).distinct().toList();
    assertThat(pids).hasSizeBetween(1, 2).doesNotContain(ProcessHandle.current().pid());
  }

  @Test
  void aTaskThatThrowsFailsOnlyItsFutureAndItsWorkerServesOn() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().name("throwing").workers(1).build()) {
      CompletableFuture<Answer> failing = pool.submit(PoolTasks.Fail.class, "bad chunk 7");
      CompletableFuture<Answer> next = pool.submit(PoolTasks.Square.class, 3L);

      RemoteTaskException failure = causeOf(failing, RemoteTaskException.class);
      assertThat(failure.exceptionClassName()).isEqualTo("java.lang.IllegalStateException");
      assertThat(failure.workerName()).isEqualTo("throwing-worker-1");
      assertThat(failure.getMessage())
          .contains(
              "task " + PoolTasks.Fail.class.getName() + " threw in worker 'throwing-worker-1'")
          .contains("java.lang.IllegalStateException: bad chunk 7")
          .contains("at " + PoolTasks.Fail.class.getName() + ".run(");
      Answer answer = next.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(answer.value()).isEqualTo(9);
      assertThat(answer.pid()).as("the same worker JVM").isEqualTo(failure.pid());
    }
  }

  @Test
  void systemExitKillsOnlyItsWorkerWhichIsReplaced() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().name("exiting").workers(1).build()) {
      CompletableFuture<Answer> first = pool.submit(PoolTasks.Square.class, 2L);
      CompletableFuture<Answer> exiting = pool.submit(PoolTasks.Exit.class, 42);
      CompletableFuture<Answer> after = pool.submit(PoolTasks.Square.class, 5L);

      long firstPid = first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).pid();
      WorkerDiedException died = causeOf(exiting, WorkerDiedException.class);
      assertThat(died.workerName()).isEqualTo("exiting-worker-1");
      assertThat(died.pid()).isEqualTo(firstPid);
      assertThat(died.exitCode()).hasValue(42);
      assertThat(died.getMessage())
          .isEqualTo(
              "worker 'exiting-worker-1' (pid "
                  + firstPid
                  + ") died running task "
                  + PoolTasks.Exit.class.getName()
                  + ": exited with code 42 (System.exit or a fatal error in the worker)");
      Answer answer = after.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(answer.value()).isEqualTo(25);
      assertThat(answer.pid()).as("a new worker JVM").isNotEqualTo(firstPid);
    }
  }

  @Test
  void sigkillOfAWorkerFailsOnlyItsTaskAndTheQueuedTasksFinish(@TempDir Path dir) throws Exception {
    try (ProcessPool pool = ProcessPool.builder().name("killed").workers(1).build()) {
      Path pidFile = dir.resolve("pid");
      CompletableFuture<Answer> blocked =
          pool.submit(PoolTasks.BlockForever.class, pidFile.toString());
      List<CompletableFuture<Answer>> queued = new ArrayList<>();
      for (long n = 1; n <= 3; n++) {
        queued.add(pool.submit(PoolTasks.Square.class, n));
      }
      long pid = awaitPid(pidFile);

      assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();

      WorkerDiedException died = causeOf(blocked, WorkerDiedException.class);
      assertThat(died.pid()).isEqualTo(pid);
      assertThat(died.exitCode()).hasValue(137);
      assertThat(died.getMessage())
          .startsWith("worker 'killed-worker-1' (pid " + pid + ") died running task ")
          .endsWith(": killed by signal 9 (SIGKILL, exit code 137)");
      for (int n = 1; n <= 3; n++) {
        Answer answer = queued.get(n - 1).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.value()).isEqualTo((long) n * n);
        assertThat(answer.pid()).isNotEqualTo(pid);
      }
    }
  }

  @Test
  void outOfMemoryEndsTheWorkerWhichIsReplaced() throws Exception {
    WorkerLauncher smallHeap = WorkerLauncher.builder().jvmOptions("-Xmx32m").build();
    try (ProcessPool pool =
        ProcessPool.builder().name("oom").workers(1).launcher(smallHeap).build()) {
      CompletableFuture<Answer> hog = pool.submit(PoolTasks.ExhaustHeap.class, 4);
      CompletableFuture<Answer> after = pool.submit(PoolTasks.Square.class, 6L);

      WorkerDiedException died = causeOf(hog, WorkerDiedException.class);
      assertThat(died.exitCode()).hasValue(ProcessPool.EXIT_OUT_OF_MEMORY);
      assertThat(died.getMessage())
          .contains("'oom-worker-1'")
          .endsWith(": halted after an OutOfMemoryError (exit code 4)");
      Answer answer = after.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(answer.value()).isEqualTo(36);
      assertThat(answer.pid()).isNotEqualTo(died.pid());
    }
  }

  @Test
  void shutdownRunsTheQueuedTasksRejectsNewOnesAndTerminates() throws Exception {
    ProcessPool pool = ProcessPool.builder().workers(1).build();
    try {
      List<CompletableFuture<Answer>> queued = new ArrayList<>();
      for (long n = 0; n < 5; n++) {
        queued.add(pool.submit(PoolTasks.Square.class, n));
      }
      pool.shutdown();
      assertThat(pool.isShutdown()).isTrue();
      assertThatThrownBy(() -> pool.submit(PoolTasks.Square.class, 9L))
          .isInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining("is shut down");

      assertThat(pool.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(pool.isTerminated()).isTrue();
      for (int n = 0; n < 5; n++) {
        assertThat(queued.get(n).getNow(null).value()).isEqualTo((long) n * n);
      }
      assertThat(descendants()).isEmpty();
    } finally {
      pool.close();
    }
  }

  @Test
  void shutdownNowCancelsTheQueuedTasksAndKillsTheRunningOnes(@TempDir Path dir) throws Exception {
    ProcessPool pool = ProcessPool.builder().name("stopped").workers(1).build();
    try {
      Path pidFile = dir.resolve("pid");
      CompletableFuture<Answer> running =
          pool.submit(PoolTasks.BlockForever.class, pidFile.toString());
      List<CompletableFuture<Answer>> queued = new ArrayList<>();
      for (long n = 0; n < 3; n++) {
        queued.add(pool.submit(PoolTasks.Square.class, n));
      }
      awaitPid(pidFile);

      List<CompletableFuture<?>> neverStarted = pool.shutdownNow();

      assertThat(neverStarted).containsExactlyElementsOf(queued);
      assertThat(queued).allMatch(CompletableFuture::isCancelled);
      WorkerDiedException died = causeOf(running, WorkerDiedException.class);
      assertThat(died.getMessage())
          .contains("killed by signal 9 (SIGKILL")
          .endsWith("; the pool was stopped with shutdownNow");
      assertThat(pool.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(pool.shutdownNow()).isEmpty();
    } finally {
      pool.close();
    }
  }

  @Test
  void closeWaitsForEverySubmittedTask() {
    List<CompletableFuture<Answer>> futures = new ArrayList<>();
    ProcessPool pool = ProcessPool.builder().workers(2).build();
    try (pool) {
      for (long n = 0; n < 6; n++) {
        futures.add(pool.submit(PoolTasks.Square.class, n));
      }
    }
    assertThat(pool.isTerminated()).isTrue();
    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
  }

  @Test
  void cancellingARunningTaskKillsItsWorkerWhichIsReplaced(@TempDir Path dir) throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
      Path pidFile = dir.resolve("pid");
      CompletableFuture<Answer> running =
          pool.submit(PoolTasks.BlockForever.class, pidFile.toString());
      long pid = awaitPid(pidFile);

      assertThat(running.cancel(true)).isTrue();

      await()
          .atMost(PATIENCE)
          .until(
              () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
              alive -> !alive);
      Answer answer =
          pool.submit(PoolTasks.Square.class, 4L).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(answer.value()).isEqualTo(16);
      assertThat(answer.pid()).isNotEqualTo(pid);
      assertThatThrownBy(running::join).isInstanceOf(CancellationException.class);
    }
  }

  @Test
  void whatATaskPrintsGoesToTheWorkerOutputNotIntoTheProtocol() throws Exception {
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    WorkerLauncher captured =
        WorkerLauncher.builder().output(WorkerOutput.prefixedLines(lines::add)).build();
    Answer answer;
    try (ProcessPool pool =
        ProcessPool.builder().name("chatty").workers(1).launcher(captured).build()) {
      answer = pool.submit(PoolTasks.Chatty.class, 7L).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(pool.submit(PoolTasks.Square.class, 8L).join().value()).isEqualTo(64);
    }
    assertThat(answer.value()).isEqualTo(7);
    assertThat(lines)
        .contains(
            "[chatty-worker-1] chatty line 1999 {\"id\":1999,\"result\":666}",
            "[chatty-worker-1] chatty error 1999",
            "[chatty-worker-1] chatty done");
  }

  @Test
  void badTasksAndArgumentsAreRefusedAndNothingIsQueued() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
      assertThatThrownBy(() -> pool.submit(PoolTasks.NeedsArgument.class, 1L))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "ProcessTask "
                  + PoolTasks.NeedsArgument.class.getName()
                  + " has no no-argument constructor");
      assertThatThrownBy(
              () -> pool.submit(PoolTasks.TakesWriteOnly.class, new PoolTasks.WriteOnly(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "the argument of "
                  + PoolTasks.TakesWriteOnly.class.getName()
                  + " cannot travel as JSON");
      assertThatThrownBy(() -> pool.submit(null, 1L)).isInstanceOf(NullPointerException.class);
      assertThat(
              pool.submit(PoolTasks.Square.class, 1L)
                  .get(PATIENCE.toSeconds(), TimeUnit.SECONDS)
                  .value())
          .isEqualTo(1);
    }
    assertThatThrownBy(() -> ProcessPool.builder().workers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a pool needs at least one worker, got 0");
  }

  @Test
  void aWorkerJvmThatCannotStartFailsItsTaskWithTheReason() {
    WorkerLauncher broken = WorkerLauncher.builder().jvmOptions("-XX:+NoSuchJvmOption").build();
    try (ProcessPool pool =
        ProcessPool.builder().name("broken").workers(1).launcher(broken).build()) {
      CompletableFuture<Answer> task = pool.submit(PoolTasks.Square.class, 1L);
      WorkerDiedException died = causeOf(task, WorkerDiedException.class);
      assertThat(died.getMessage())
          .matches(
              "worker 'broken-worker-\\d' \\(pid \\d+\\) could not start: it exited with code 1 .*"
                  + " before connecting to the pool; its standard error says why");
    }
  }

  private static <T extends Throwable> T causeOf(CompletableFuture<?> future, Class<T> type) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(type);
    return type.cast(thrown.getCause());
  }

  private static long awaitPid(Path pidFile) {
    await().atMost(PATIENCE).until(() -> Files.exists(pidFile));
    try {
      return Long.parseLong(Files.readString(pidFile));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<ProcessHandle> descendants() {
    try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
      return descendants.filter(ProcessHandle::isAlive).toList();
    }
  }
}
