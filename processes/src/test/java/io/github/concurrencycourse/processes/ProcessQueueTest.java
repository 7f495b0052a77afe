package io.github.concurrencycourse.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.type.TypeReference;

/** The queue's semantics, with the host and its handles in this JVM. */
@Timeout(30)
class ProcessQueueTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private ThreadSnapshot before;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void census() {
    before = ThreadSnapshot.take();
  }

  @AfterEach
  void closeAndCheckNothingIsLeft() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(before.startedSince(ProcessQueueTest::isJUnits))
                    .as("threads and processes left")
                    .isEmpty());
  }

  /** JUnit runs each timed test on a thread of its own, which it keeps. */
  static boolean isJUnits(String threadName) {
    return threadName.startsWith("junit-timeout-thread");
  }

  private ProcessQueueHost host(int capacity) throws IOException {
    ProcessQueueHost host = ProcessQueueHost.start(capacity);
    opened.add(host);
    return host;
  }

  private <E> ProcessQueue<E> handle(ProcessQueueHost host, Class<E> type) throws IOException {
    ProcessQueue<E> queue = ProcessQueue.open(host.socketPath(), type);
    opened.add(queue);
    return queue;
  }

  private <E> JoinableProcessQueue<E> joinable(ProcessQueueHost host, Class<E> type)
      throws IOException {
    JoinableProcessQueue<E> queue = JoinableProcessQueue.open(host.socketPath(), type);
    opened.add(queue);
    return queue;
  }

  @Test
  void keepsFifoOrderAndRespectsTheCapacity() throws Exception {
    ProcessQueueHost host = host(2);
    ProcessQueue<String> queue = handle(host, String.class);

    assertThat(queue.offer("苹果0")).isTrue();
    assertThat(queue.offer("苹果1")).isTrue();
    assertThat(queue.offer("苹果2")).as("third offer into a queue of 2").isFalse();
    assertThat(queue.remainingCapacity()).isZero();
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.peek()).isEqualTo("苹果0");
    assertThat(queue).containsExactly("苹果0", "苹果1");

    assertThat(queue.poll()).isEqualTo("苹果0");
    assertThat(queue.offer("苹果2")).isTrue();
    assertThat(queue.take()).isEqualTo("苹果1");
    assertThat(queue.poll(1, TimeUnit.SECONDS)).isEqualTo("苹果2");
    assertThat(queue.poll()).isNull();
    assertThat(host.unfinishedTasks()).as("a plain handle acknowledges on receipt").isZero();
  }

  @Test
  void timedOfferAndPollWaitTheirTimeAndGiveUp() throws Exception {
    ProcessQueue<String> queue = handle(host(1), String.class);
    queue.put("牛奶0");

    long start = System.nanoTime();
    assertThat(queue.offer("牛奶1", 200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ms(200));

    assertThat(queue.take()).isEqualTo("牛奶0");
    start = System.nanoTime();
    assertThat(queue.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ms(200));
  }

  @Test
  void putWaitsForSpaceWhileTheSameHandleServesOtherThreads() throws Exception {
    ProcessQueueHost host = host(1);
    ProcessQueue<String> queue = handle(host, String.class);
    queue.put("蔬菜0");

    CompletableFuture<Void> putter = runAsync(() -> queue.put("蔬菜1"));
    // The second put waits at the host; meanwhile the same handle answers this thread.
    await().atMost(WAIT).until(() -> host.size() == 1 && !putter.isDone());
    assertThat(queue.size()).isEqualTo(1);
    assertThat(putter).isNotDone();

    assertThat(queue.take()).isEqualTo("蔬菜0");
    putter.get(10, TimeUnit.SECONDS);
    assertThat(queue.take()).isEqualTo("蔬菜1");
  }

  @Test
  void takeWaitsForAPutThroughTheSameHandle() throws Exception {
    ProcessQueue<String> queue = handle(host(4), String.class);

    CompletableFuture<String> taker = supplyAsync(queue::take);
    queue.put("苹果0");

    assertThat(taker.get(10, TimeUnit.SECONDS)).isEqualTo("苹果0");
  }

  @Test
  void anInterruptedTakeThrowsAndTakesNothing() throws Exception {
    ProcessQueueHost host = host(4);
    ProcessQueue<String> queue = handle(host, String.class);
    AtomicReference<Thread> takerThread = new AtomicReference<>();
    CompletableFuture<String> taker =
        supplyAsync(
            () -> {
              takerThread.set(Thread.currentThread());
              return queue.take();
            });
    await().atMost(WAIT).until(() -> waiting(takerThread.get()));

    takerThread.get().interrupt();

    assertThatThrownBy(() -> taker.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InterruptedException.class);
    queue.put("苹果0");
    assertThat(queue.poll(1, TimeUnit.SECONDS))
        .as("the withdrawn take got nothing")
        .isEqualTo("苹果0");
    assertThat(host.heldItems()).isZero();
  }

  @Test
  void anInterruptedPutThrowsAndInsertsNothing() throws Exception {
    ProcessQueueHost host = host(1);
    ProcessQueue<String> queue = handle(host, String.class);
    queue.put("牛奶0");
    AtomicReference<Thread> putterThread = new AtomicReference<>();
    CompletableFuture<Void> putter =
        runAsync(
            () -> {
              putterThread.set(Thread.currentThread());
              queue.put("牛奶1");
            });
    await().atMost(WAIT).until(() -> waiting(putterThread.get()));

    putterThread.get().interrupt();

    assertThatThrownBy(() -> putter.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(queue.take()).isEqualTo("牛奶0");
    assertThat(queue.poll()).as("the withdrawn put inserted nothing").isNull();
  }

  @Test
  void nullAndUnwritableItemsAreRefusedAndNothingIsInserted() throws Exception {
    ProcessQueueHost host = host(4);
    ProcessQueue<Object> queue = handle(host, Object.class);

    assertThatThrownBy(() -> queue.put(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> queue.offer(new Unwritable()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Unwritable.class.getName());
    assertThat(host.size()).isZero();
    assertThat(queue.offer("still works")).isTrue();
  }

  @Test
  void anItemOfTheWrongTypeStaysAtTheHead() throws Exception {
    ProcessQueueHost host = host(4);
    ProcessQueue<String> strings = handle(host, String.class);
    ProcessQueue<Integer> numbers = handle(host, Integer.class);
    strings.put("苹果0");

    assertThatThrownBy(numbers::poll)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.Integer");
    assertThat(host.heldItems()).isZero();
    assertThat(strings.poll()).isEqualTo("苹果0");
  }

  @Test
  void genericItemsTravelWithTheirType() throws Exception {
    ProcessQueueHost host = host(4);
    ProcessQueue<Optional<String>> queue =
        ProcessQueue.open(host.socketPath(), new TypeReference<Optional<String>>() {});
    opened.add(queue);

    queue.put(Optional.of("苹果0"));
    queue.put(Optional.empty());

    assertThat(queue.take()).contains("苹果0");
    assertThat(queue.take()).isEmpty();
  }

  @Test
  void removingAGivenElementIsUnsupported() throws Exception {
    ProcessQueue<String> queue = handle(host(4), String.class);
    queue.put("苹果0");

    assertThatThrownBy(() -> queue.remove("苹果0")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> queue.drainTo(queue)).isInstanceOf(IllegalArgumentException.class);
    List<String> drained = new ArrayList<>();
    assertThat(queue.drainTo(drained)).isEqualTo(1);
    assertThat(drained).containsExactly("苹果0");
  }

  @Test
  void joinableItemsStayHeldUntilTaskDoneAndReturnWhenTheHandleCloses() throws Exception {
    ProcessQueueHost host = host(4);
    JoinableProcessQueue<String> producer = joinable(host, String.class);
    JoinableProcessQueue<String> consumer =
        JoinableProcessQueue.open(host.socketPath(), String.class);
    producer.put("苹果0");
    producer.put("苹果1");

    assertThat(consumer.take()).isEqualTo("苹果0");
    assertThat(consumer.heldItems()).isEqualTo(1);
    assertThat(producer.join(ms(100))).as("join with a task unfinished").isFalse();
    consumer.close();

    // The host learns of the closed connection a moment after close returns.
    await().atMost(WAIT).until(() -> host.size() == 2);
    assertThat(host.heldItems()).as("the unacknowledged item is back").isZero();
    assertThat(producer.take()).isEqualTo("苹果0");
    assertThat(producer.take()).isEqualTo("苹果1");
    producer.taskDone();
    producer.taskDone();
    assertThatThrownBy(producer::taskDone)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("taskDone");
    assertThat(producer.join(ms(100))).isTrue();
    assertThat(host.unfinishedTasks()).isZero();
  }

  @Test
  void joinWaitsUntilTheLastTaskIsDone() throws Exception {
    ProcessQueueHost host = host(4);
    JoinableProcessQueue<String> queue = joinable(host, String.class);
    queue.put("牛奶0");

    CompletableFuture<Void> joiner = runAsync(queue::join);
    String item = queue.take();
    assertThat(joiner).isNotDone();
    assertThat(item).isEqualTo("牛奶0");
    queue.taskDone();

    joiner.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWaitingTakeFailsClearlyWhenTheHostCloses() throws Exception {
    ProcessQueueHost host = ProcessQueueHost.start(4);
    Path socket = host.socketPath();
    ProcessQueue<String> queue = handle(host, String.class);
    CompletableFuture<String> taker = supplyAsync(queue::take);
    await().atMost(WAIT).until(() -> !taker.isDone() && host.connections() == 1);

    host.close();

    assertThatThrownBy(() -> taker.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(QueueHostGoneException.class)
        .hasMessageContaining(socket.toString());
    assertThatThrownBy(() -> queue.put("苹果0")).isInstanceOf(QueueHostGoneException.class);
    assertThat(socket).doesNotExist();
    assertThat(socket.getParent()).as("the host's own directory").doesNotExist();
    assertThatThrownBy(() -> ProcessQueue.open(socket, String.class))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(socket.toString());
  }

  @Test
  void aClosedHandleSaysSo() throws Exception {
    ProcessQueue<String> queue = ProcessQueue.open(host(4).socketPath(), String.class);
    queue.close();
    queue.close();

    assertThatThrownBy(queue::poll)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aMalformedRequestClosesOnlyItsOwnConnection() throws Exception {
    ProcessQueueHost host = host(4);
    ProcessQueue<String> bystander = handle(host, String.class);
    bystander.put("苹果0");
    JoinableProcessQueue<String> holder = joinable(host, String.class);
    assertThat(holder.take()).isEqualTo("苹果0");

    for (byte[] frame :
        List.of(frame("not json"), frame("{\"id\":1}"), header(Integer.MAX_VALUE))) {
      try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        raw.connect(UnixDomainSocketAddress.of(host.socketPath()));
        raw.write(ByteBuffer.wrap(frame));
        assertThat(raw.read(ByteBuffer.allocate(64)))
            .as("the host closes the connection")
            .isEqualTo(-1);
      }
    }

    assertThat(host.heldItems()).isEqualTo(1);
    bystander.put("苹果1");
    assertThat(bystander.take()).isEqualTo("苹果1");
    holder.taskDone();
    assertThat(host.unfinishedTasks()).isZero();
  }

  @Test
  void aFrameSplitIntoSingleBytesIsReadWhole() throws Exception {
    ProcessQueueHost host = host(4);
    byte[] request =
        frame("{\"id\":7,\"op\":\"OFFER\",\"item\":\"苹果0\",\"waitNanos\":0,\"ref\":0}");
    try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      raw.connect(UnixDomainSocketAddress.of(host.socketPath()));
      for (byte b : request) {
        raw.write(ByteBuffer.wrap(new byte[] {b}));
      }
      await().atMost(WAIT).until(() -> host.size() == 1);
    }
    ProcessQueue<String> queue = handle(host, String.class);
    assertThat(queue.take()).isEqualTo("苹果0");
  }

  @Test
  void capacityMustBePositiveAndTheSocketFileNew(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    assertThatThrownBy(() -> ProcessQueueHost.start(0))
        .isInstanceOf(IllegalArgumentException.class);
    Path taken = Files.createFile(dir.resolve("q.sock"));
    assertThatThrownBy(() -> ProcessQueueHost.start(1, taken)).isInstanceOf(IOException.class);
  }

  /** An object that contains itself: its JSON would never end, and Jackson refuses it. */
  static final class Unwritable {
    public Unwritable getSelf() {
      return this;
    }
  }

  private static byte[] frame(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  private static byte[] header(int length) {
    return ByteBuffer.allocate(4).putInt(length).array();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static boolean waiting(Thread thread) {
    return thread != null
        && (thread.getState() == Thread.State.WAITING
            || thread.getState() == Thread.State.TIMED_WAITING);
  }

  interface Action {
    void run() throws Exception;
  }

  interface Supplier<T> {
    T get() throws Exception;
  }

  private static CompletableFuture<Void> runAsync(Action action) {
    return supplyAsync(
        () -> {
          action.run();
          return null;
        });
  }

  /** Runs on a thread of its own, which ends when the call returns, so the leak check holds. */
  private static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                result.complete(supplier.get());
              } catch (Exception | Error e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }
}
