package io.github.concurrencycourse.common.launch;

import static io.github.concurrencycourse.common.launch.ChildProcesses.CHILD_TIME;
import static io.github.concurrencycourse.common.launch.ChildProcesses.SMALL_JVM;
import static io.github.concurrencycourse.common.launch.ChildProcesses.isRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.concurrent.Uninterruptibly;
import io.github.concurrencycourse.common.launch.ChildProcesses.Lines;
import io.github.concurrencycourse.common.launch.TestTasks.BlockForever;
import io.github.concurrencycourse.common.launch.TestTasks.FailingConstructor;
import io.github.concurrencycourse.common.launch.TestTasks.FailingTask;
import io.github.concurrencycourse.common.launch.TestTasks.NeedsArgument;
import io.github.concurrencycourse.common.launch.TestTasks.Seat;
import io.github.concurrencycourse.common.launch.TestTasks.SeedProcess;
import io.github.concurrencycourse.common.launch.TestTasks.SeedTask;
import io.github.concurrencycourse.common.launch.TestTasks.StartGrandchild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class WorkerLauncherTest {

  private static final Pattern READY = Pattern.compile("^\\[[^]]+] ready$");
  private static final Pattern GRANDCHILD = Pattern.compile("grandchild (\\d+)$");

  private final ChildProcesses children = new ChildProcesses();
  private final Lines lines = new Lines();

  @AfterEach
  void killEveryChild() {
    children.close();
  }

  private WorkerLauncher.Builder launcher() {
    return WorkerLauncher.builder().jvmOptions(SMALL_JVM).output(lines.output());
  }

  @Test
  void functionStyleRunsTheTaskWithItsArgumentsInAChildJvm() throws Exception {
    WorkerProcess p1 =
        children.track(launcher().name("p1").build().start(SeedTask.class, "子进程1", "extra"));

    assertThat(p1.join(CHILD_TIME)).isTrue();

    assertThat(p1.onExit()).isCompletedWithValue(p1);
    assertThat(p1.name()).isEqualTo("p1");
    assertThat(p1.pid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(p1.isAlive()).isFalse();
    assertThat(p1.exitCode()).hasValue(0);
    assertThat(p1.failure()).isEmpty();
    assertThat(lines.all())
        .containsExactly(
            "[p1] 子进程1 is running", "[p1] arguments [子进程1, extra] on thread p1", "[p1] 子进程1 done");
  }

  @Test
  void anExitIsSeenWhileEveryThreadOfTheCommonPoolIsBusy() throws Exception {
    // Process.onExit() completes on the common pool: a worker watched through it would look alive
    // for as long as the pool's threads are taken.
    int threads = ForkJoinPool.getCommonPoolParallelism();
    CountDownLatch taken = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<Void>> blockers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      blockers.add(
          CompletableFuture.runAsync(
              () -> {
                taken.countDown();
                Uninterruptibly.await(release::await);
              }));
    }
    try {
      assertThat(taken.await(CHILD_TIME.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      WorkerProcess p1 =
          children.track(launcher().name("p1").build().start(SeedTask.class, "子进程1"));

      assertThat(p1.join(CHILD_TIME)).as("the exit seen while the common pool is busy").isTrue();
      assertThat(p1.exitCode()).hasValue(0);
    } finally {
      release.countDown();
    }
    CompletableFuture.allOf(blockers.toArray(CompletableFuture[]::new))
        .get(CHILD_TIME.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void subclassStyleCarriesTheFieldsToTheChildAndRunsThere() throws Exception {
    SeedProcess worker =
        new SeedProcess("子进程1", 2, List.of("苹果", "牛奶"), Map.of("count", 3), new Seat("A", 7));

    WorkerProcess p = children.track(launcher().name("my-process").build().start(worker));

    assertThat(p.join(CHILD_TIME)).isTrue();
    assertThat(p.exitCode()).hasValue(0);
    assertThat(lines.all())
        .containsExactly(
            "[my-process] 子进程1 is running 0",
            "[my-process] 子进程1 is running 1",
            "[my-process] items=[苹果, 牛奶] stock={count=3} seat=Seat[row=A, number=7]",
            "[my-process] transient=null",
            "[my-process] pid=" + p.pid());
  }

  @Test
  void unnamedWorkersAreNumbered() throws Exception {
    WorkerLauncher unnamed = launcher().build();
    WorkerProcess first = children.track(unnamed.start(SeedTask.class, "a"));
    WorkerProcess second = children.track(unnamed.start(SeedTask.class, "b"));

    assertThat(first.name()).matches("Worker-\\d+");
    assertThat(second.name()).matches("Worker-\\d+").isNotEqualTo(first.name());
    assertThat(first.join(CHILD_TIME) && second.join(CHILD_TIME)).isTrue();
  }

  @Test
  void joinWithATimeoutReturnsFalseWhileTheWorkerRunsAndTerminateStopsIt() throws Exception {
    WorkerProcess p = children.track(launcher().name("sleeper").build().start(BlockForever.class));
    lines.await(READY);

    assertThat(p.join(Duration.ofMillis(200))).isFalse();
    assertThat(p.waitFor(1, java.util.concurrent.TimeUnit.MILLISECONDS)).isFalse();
    assertThat(p.isAlive()).isTrue();
    assertThat(p.exitCode()).isEmpty();
    assertThatThrownBy(p::exitValue).isInstanceOf(IllegalThreadStateException.class);

    p.terminate();

    assertThat(p.join(CHILD_TIME)).isTrue();
    assertThat(p.isAlive()).isFalse();
    assertThat(p.exitCode()).hasValue(143);
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(p.failure()).isEmpty();
  }

  @Test
  void terminateStopsTheWholeProcessTree() throws Exception {
    WorkerProcess starter =
        children.track(launcher().name("starter").build().start(StartGrandchild.class, "normal"));
    long grandchild = children.trackPid(Long.parseLong(lines.await(GRANDCHILD)));
    assertThat(isRunning(grandchild)).isTrue();

    starter.terminate();

    assertThat(starter.join(CHILD_TIME)).isTrue();
    await().atMost(CHILD_TIME).until(() -> !isRunning(grandchild));
  }

  @Test
  void killStopsTheWholeProcessTreeAtOnce() throws Exception {
    WorkerProcess starter =
        children.track(launcher().name("starter").build().start(StartGrandchild.class, "normal"));
    long grandchild = children.trackPid(Long.parseLong(lines.await(GRANDCHILD)));

    starter.kill();

    assertThat(starter.join(CHILD_TIME)).isTrue();
    assertThat(starter.exitCode()).hasValue(137);
    await().atMost(CHILD_TIME).until(() -> !isRunning(grandchild));
  }

  @Test
  void aDaemonWorkerDiesWhenItsParentIsKilledWithSigkill() throws Exception {
    WorkerProcess parent =
        children.track(launcher().name("parent").build().start(StartGrandchild.class, "daemon"));
    long daemon = children.trackPid(Long.parseLong(lines.await(GRANDCHILD)));
    // The grandchild inherits its parent's output, which this test captures.
    lines.await(Pattern.compile("^\\[parent] ready$"));
    // While its parent lives, the daemon keeps running through several of its parent checks.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> isRunning(daemon));

    // SIGKILL to the parent alone: it gets no chance to clean up, and its tree is not walked.
    parent.toHandle().destroyForcibly();

    assertThat(parent.join(CHILD_TIME)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(daemon));
  }

  @Test
  void aNonDaemonWorkerOutlivesItsKilledParent() throws Exception {
    WorkerProcess parent =
        children.track(launcher().name("parent").build().start(StartGrandchild.class, "normal"));
    long orphan = children.trackPid(Long.parseLong(lines.await(GRANDCHILD)));

    parent.toHandle().destroyForcibly();

    assertThat(parent.join(CHILD_TIME)).isTrue();
    // Ten of the daemon's parent checks fit in this second; this one must ignore them all.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> isRunning(orphan));
  }

  @Test
  void anExceptionInTheChildReachesTheParentWithItsStackTrace() throws Exception {
    WorkerProcess p = children.track(launcher().name("buyer").build().start(FailingTask.class));

    assertThat(p.join(CHILD_TIME)).isTrue();

    assertThat(p.exitCode()).hasValue(WorkerProcess.EXIT_FAILED);
    WorkerFailure failure = p.failure().orElseThrow();
    assertThat(failure.workerName()).isEqualTo("buyer");
    assertThat(failure.pid()).isEqualTo(p.pid());
    assertThat(failure.exceptionClassName()).isEqualTo("java.lang.IllegalStateException");
    assertThat(failure.remoteStackTrace())
        .startsWith("java.lang.IllegalStateException: no tickets left")
        .contains("at " + FailingTask.class.getName() + ".checkStock(")
        .contains("Caused by: java.io.IOException: db.txt is unreadable");
    assertThat(failure.getMessage())
        .contains("'buyer'")
        .contains(FailingTask.class.getName() + ".checkStock(");
    assertThat(lines.all())
        .contains(
            "[buyer] Exception in worker \"buyer\" java.lang.IllegalStateException: no tickets left");
  }

  @Test
  void anExceptionWhileCreatingTheTaskIsReportedToo() throws Exception {
    WorkerProcess p = children.track(launcher().build().start(FailingConstructor.class));

    assertThat(p.join(CHILD_TIME)).isTrue();

    assertThat(p.exitCode()).hasValue(WorkerProcess.EXIT_FAILED);
    assertThat(p.failure().orElseThrow().remoteStackTrace())
        .contains("UnsupportedOperationException: cannot be built");
  }

  @Test
  void aChildJvmThatCannotStartSaysWhyOnItsStandardError() throws Exception {
    WorkerProcess p =
        children.track(
            launcher()
                .name("broken")
                .jvmOptions("-XX:+NoSuchOption")
                .build()
                .start(SeedTask.class, "x"));

    assertThat(p.join(CHILD_TIME)).isTrue();

    assertThat(p.exitCode()).hasValue(1);
    assertThat(p.failure()).isEmpty();
    assertThat(lines.all())
        .anyMatch(line -> line.startsWith("[broken] ") && line.contains("NoSuchOption"));
  }

  @Test
  void closeKillsARunningWorker() throws Exception {
    WorkerProcess p;
    try (WorkerProcess running = launcher().build().start(BlockForever.class)) {
      p = children.track(running);
      lines.await(READY);
    }
    assertThat(p.isAlive()).isFalse();
    assertThat(isRunning(p.pid())).isFalse();
  }

  @Test
  void classesAnotherJvmCannotCreateAreRejectedBeforeAnythingStarts() {
    WorkerLauncher launcher = launcher().build();
    assertThatThrownBy(() -> launcher.start(TestTasks.InnerTask.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inner class");
    assertThatThrownBy(() -> launcher.start(NeedsArgument.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-argument constructor");
    WorkerTask lambda = arguments -> {};
    assertThatThrownBy(() -> launcher.start(lambda.getClass()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lambda");
    Worker anonymous =
        new Worker() {
          @Override
          protected void run() {}
        };
    assertThatThrownBy(() -> launcher.start(anonymous))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("anonymous");
  }
}
