package io.github.concurrencycourse.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The queue between real processes: child JVMs produce, consume, die holding items, host. */
@Timeout(120)
class ProcessQueueProcessTest {

  private static final Duration CHILD_TIME = Duration.ofSeconds(60);

  private final Queue<String> lines = new ConcurrentLinkedQueue<>();
  private final List<WorkerProcess> children = new ArrayList<>();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private ThreadSnapshot before;

  @BeforeEach
  void census() {
    before = ThreadSnapshot.take();
  }

  @AfterEach
  void nothingIsLeft() throws Exception {
    children.forEach(WorkerProcess::close);
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
        .as("child JVMs left")
        .isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(before.startedSince(ProcessQueueTest::isJUnits))
                    .as("threads and processes left")
                    .isEmpty());
  }

  private WorkerProcess start(String name, Class<? extends WorkerTask> task, String... arguments)
      throws Exception {
    WorkerProcess child =
        WorkerLauncher.builder()
            .name(name)
            .daemon(true)
            .jvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m")
            .output(WorkerOutput.prefixedLines(lines::add))
            .build()
            .start(task, arguments);
    children.add(child);
    return child;
  }

  private static void joinCleanly(WorkerProcess child) throws InterruptedException {
    assertThat(child.join(CHILD_TIME)).as("%s ended", child.name()).isTrue();
    assertThat(child.exitCode()).as("%s: %s", child.name(), child.failure()).hasValue(0);
  }

  private <T extends AutoCloseable> T opened(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  @Test
  void everyItemOfThreeProducerProcessesIsConsumedExactlyOnceByTwoConsumerProcesses()
      throws Exception {
    int perProducer = 100;
    // Far fewer places than items, so producers keep waiting for space: backpressure across JVMs.
    ProcessQueueHost host = opened(ProcessQueueHost.start(5));
    String socket = host.socketPath().toString();
    List<String> foods = List.of("苹果", "蔬菜", "牛奶");
    List<WorkerProcess> producers = new ArrayList<>();
    for (int p = 0; p < foods.size(); p++) {
      producers.add(
          start((p + 1) + "号", QueueTasks.Produce.class, socket, foods.get(p), "" + perProducer));
    }
    List<WorkerProcess> consumers =
        List.of(
            start("吃货1号", QueueTasks.Consume.class, socket),
            start("吃货2号", QueueTasks.Consume.class, socket));

    for (WorkerProcess producer : producers) {
      joinCleanly(producer);
    }
    try (ProcessQueue<Optional<String>> queue =
        ProcessQueue.open(host.socketPath(), QueueTasks.FOOD)) {
      queue.put(Optional.empty());
      queue.put(Optional.empty());
    }
    for (WorkerProcess consumer : consumers) {
      joinCleanly(consumer);
    }

    List<String> expected = new ArrayList<>();
    foods.forEach(food -> IntStream.range(0, perProducer).forEach(i -> expected.add(food + i)));
    List<String> eaten =
        lines.stream()
            .filter(line -> line.contains("] ate "))
            .map(line -> line.substring(line.indexOf("] ate ") + "] ate ".length()))
            .toList();
    assertThat(eaten).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(host.size()).isZero();
    assertThat(host.unfinishedTasks()).isZero();
  }

  @Test
  void anItemHeldByAConsumerKilledBeforeTaskDoneGoesToAnotherConsumer() throws Exception {
    ProcessQueueHost host = opened(ProcessQueueHost.start(4));
    String socket = host.socketPath().toString();
    JoinableProcessQueue<String> queue =
        opened(JoinableProcessQueue.open(host.socketPath(), String.class));
    queue.put("苹果0");

    WorkerProcess first = start("吃货1号", QueueTasks.TakeAndHold.class, socket);
    await().atMost(CHILD_TIME).until(() -> lines.contains("[吃货1号] holding 苹果0"));
    assertThat(host.heldItems()).isEqualTo(1);
    assertThat(host.size()).isZero();
    assertThat(queue.poll()).as("a held item is not handed out twice").isNull();

    first.kill();
    assertThat(first.join(CHILD_TIME)).isTrue();
    assertThat(first.exitCode()).hasValue(137);

    WorkerProcess second = start("吃货2号", QueueTasks.TakeAndAcknowledge.class, socket);
    joinCleanly(second);
    assertThat(lines).contains("[吃货2号] done 苹果0");
    assertThat(queue.join(Duration.ofSeconds(10))).isTrue();
    assertThat(host.heldItems()).isZero();
    assertThat(host.size()).isZero();
  }

  @Test
  void aHandleWhoseHostProcessIsKilledFailsClearlyInsteadOfHanging(@TempDir Path dir)
      throws Exception {
    Path socket = dir.resolve("q.sock");
    WorkerProcess hostProcess = start("host", QueueTasks.Host.class, socket.toString(), "4");
    await().atMost(CHILD_TIME).until(() -> lines.contains("[host] ready " + socket));
    ProcessQueue<String> queue = opened(ProcessQueue.open(socket, String.class));
    queue.put("苹果0");
    assertThat(queue.take()).isEqualTo("苹果0");
    CompletableFuture<String> taker = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                taker.complete(queue.take());
              } catch (InterruptedException | RuntimeException e) {
                taker.completeExceptionally(e);
              }
            });

    hostProcess.kill();

    assertThatThrownBy(() -> taker.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(QueueHostGoneException.class)
        .hasMessageContaining(socket.toString());
    assertThatThrownBy(() -> queue.put("苹果1"))
        .isInstanceOf(QueueHostGoneException.class)
        .hasMessageContaining("is gone");
  }
}
