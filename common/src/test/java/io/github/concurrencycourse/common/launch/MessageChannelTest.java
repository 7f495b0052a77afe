package io.github.concurrencycourse.common.launch;

import static io.github.concurrencycourse.common.launch.ChannelMessages.frame;
import static io.github.concurrencycourse.common.launch.ChannelMessages.header;
import static io.github.concurrencycourse.common.launch.ChannelMessages.rawConnection;
import static io.github.concurrencycourse.common.launch.ChannelMessages.writeAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.ChannelMessages.Answer;
import io.github.concurrencycourse.common.launch.ChannelMessages.Order;
import io.github.concurrencycourse.common.launch.ChannelMessages.Sold;
import io.github.concurrencycourse.common.launch.ChannelMessages.SoldOut;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MessageChannel} and {@link ChannelServer} with both ends in this JVM. */
@Timeout(60)
class MessageChannelTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private ChannelServer<Answer, Order> server;
  private final List<MessageChannel<?, ?>> channels = new ArrayList<>();
  private Set<Thread> threadsBefore;

  @BeforeEach
  void openServer() throws IOException {
    threadsBefore = Thread.getAllStackTraces().keySet();
    server = ChannelServer.open(Answer.class, Order.class);
  }

  /**
   * Channels have no threads: once the test's own helpers have ended, no thread is left but those
   * JUnit runs the tests on, which it keeps.
   */
  @AfterEach
  void closeEverythingAndCheckNothingIsLeft() throws IOException {
    for (MessageChannel<?, ?> channel : channels) {
      channel.close();
    }
    server.close();
    assertThat(server.socketPath().getParent()).doesNotExist();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(thread -> !threadsBefore.contains(thread))
                    .filteredOn(thread -> !thread.getName().startsWith("junit-timeout-thread"))
                    .filteredOn(thread -> !thread.getName().startsWith("awaitility"))
                    .isEmpty());
  }

  private MessageChannel<Order, Answer> client() throws IOException {
    return track(MessageChannel.connect(server.socketPath(), Order.class, Answer.class));
  }

  private MessageChannel<Answer, Order> accept() throws IOException, InterruptedException {
    return track(server.accept());
  }

  private <O, I> MessageChannel<O, I> track(MessageChannel<O, I> channel) {
    channels.add(channel);
    return channel;
  }

  @Test
  void typedMessagesMakeTheRoundTripBothWays() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();

    buyer.send(new Order("用户1", 2, List.of("A7", "A8")));
    buyer.send(new Order("用户2", 1, List.of()));

    assertThat(seller.receive()).contains(new Order("用户1", 2, List.of("A7", "A8")));
    assertThat(seller.receive()).contains(new Order("用户2", 1, List.of()));
    seller.send(new Sold("用户1", 3));
    seller.send(new SoldOut("用户2"));
    assertThat(buyer.receive()).contains(new Sold("用户1", 3));
    assertThat(buyer.receive()).contains(new SoldOut("用户2"));
  }

  @Test
  void theEndOfTheStreamComesAfterEveryMessageAndStays() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();
    for (int i = 0; i < 3; i++) {
      buyer.send(new Order("用户" + i, 1, List.of()));
    }

    buyer.close();

    for (int i = 0; i < 3; i++) {
      assertThat(seller.receive()).contains(new Order("用户" + i, 1, List.of()));
    }
    assertThat(seller.receive()).as("the end of the stream").isEmpty();
    assertThat(seller.receive(Duration.ZERO)).as("and again, at once").isEmpty();
    assertThat(seller.isOpen()).as("a clean end leaves this end open").isTrue();
    assertThatThrownBy(() -> buyer.send(new Order("late", 1, List.of())))
        .isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(buyer::receive).isInstanceOf(ClosedChannelException.class);
  }

  @Test
  void receiveWaitsNoLongerThanItsTimeoutAndTheChannelStaysUsable() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();

    long start = System.nanoTime();
    assertThatThrownBy(() -> seller.receive(Duration.ofMillis(200)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining(server.socketPath().toString());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ms(200));

    buyer.send(new Order("用户1", 1, List.of()));
    assertThat(seller.receive(WAIT)).contains(new Order("用户1", 1, List.of()));
  }

  @Test
  void anInterruptedReceiveThrowsAndTheNextMessageStillArrives() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();
    Receiving<Order> interrupted = receivingInAnotherThread(seller);

    interrupted.thread().interrupt();

    assertThatThrownBy(() -> interrupted.result().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InterruptedException.class);
    buyer.send(new Order("用户1", 1, List.of()));
    assertThat(seller.receive(WAIT)).contains(new Order("用户1", 1, List.of()));
    assertThat(seller.isOpen()).isTrue();
  }

  @Test
  void anInterruptedSenderSendsWholeFramesAndKeepsItsInterrupt() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();

    Thread.currentThread().interrupt();
    try {
      buyer.send(new Order("用户1", 1, List.of()));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }

    assertThat(seller.receive(WAIT)).contains(new Order("用户1", 1, List.of()));
    assertThat(buyer.isOpen()).as("an interrupt does not close the socket").isTrue();
    buyer.send(new Order("用户2", 1, List.of()));
    assertThat(seller.receive(WAIT)).contains(new Order("用户2", 1, List.of()));
  }

  @Test
  void concurrentSendersNeverInterleaveTheirFrames() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();
    int senders = 8;
    int perSender = 300;
    // Some frames are larger than the reader's buffer and the socket's, so they arrive in pieces.
    List<String> seats = List.of("座".repeat(40_000));
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Void>> sending = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      String name = "sender-" + s;
      sending.add(
          inThread(
              () -> {
                start.await();
                for (int i = 0; i < perSender; i++) {
                  buyer.send(new Order(name, i, i % 50 == 0 ? seats : List.of()));
                }
                return null;
              }));
    }

    start.countDown();
    int[] next = new int[senders];
    for (int n = 0; n < senders * perSender; n++) {
      Order order = seller.receive(WAIT).orElseThrow();
      int sender = Integer.parseInt(order.buyer().substring("sender-".length()));
      assertThat(order.tickets())
          .as("the next message of " + order.buyer())
          .isEqualTo(next[sender]);
      assertThat(order.seats()).isEqualTo(order.tickets() % 50 == 0 ? seats : List.of());
      next[sender]++;
    }
    for (Future<Void> sender : sending) {
      sender.get(10, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> seller.receive(Duration.ZERO))
        .as("nothing more")
        .isInstanceOf(TimeoutException.class);
  }

  @Test
  void aSenderFasterThanItsReceiverWaitsInsteadOfFillingMemory() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();
    int messages = 200;
    List<String> bulk = List.of("x".repeat(256 * 1024));
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<Thread> sender = new AtomicReference<>();
    Future<Void> sending =
        inThread(
            () -> {
              sender.set(Thread.currentThread());
              for (int i = 0; i < messages; i++) {
                buyer.send(new Order("bulk", i, bulk));
                sent.incrementAndGet();
              }
              return null;
            });

    // Nobody receives: the sender gets as far as the sockets' buffers allow, then waits.
    // Unchecked, it would send all 200 in a fraction of a second and end.
    int[] seen = {-1};
    await()
        .atMost(WAIT)
        .pollInterval(ms(100))
        .until(
            () -> {
              int now = sent.get();
              boolean stuck = now == seen[0] && waitingIn(sender.get(), "send");
              seen[0] = now;
              return stuck;
            });
    assertThat(sent.get()).as("messages of 256 KiB sent before waiting").isLessThan(messages / 4);
    assertThat(sending).isNotDone();

    for (int i = 0; i < messages; i++) {
      assertThat(seller.receive(WAIT).orElseThrow().tickets()).isEqualTo(i);
    }
    sending.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "{\"buyer\":\"用户1\",\"tickets\":1,\"seats\":[]}{}",
        "null",
        "\"a string, not an order\"",
        "{\"buyer\":\"用户1\",\"tickets\":\"many\",\"seats\":[]}",
        ""
      })
  void aMalformedFrameClosesOnlyItsOwnChannel(String json) throws Exception {
    MessageChannel<Order, Answer> bystander = client();
    MessageChannel<Answer, Order> bystanderEnd = accept();
    try (SocketChannel raw = rawConnection(server.socketPath())) {
      MessageChannel<Answer, Order> victim = accept();
      writeAll(raw, frame(json));

      assertThatThrownBy(() -> victim.receive(WAIT))
          .isInstanceOf(MalformedFrameException.class)
          .hasMessageContaining(Order.class.getName());
      assertThat(victim.isOpen()).isFalse();
      assertThat(raw.read(ByteBuffer.allocate(16))).as("the peer sees the end").isEqualTo(-1);
      assertThatThrownBy(victim::receive).isInstanceOf(ClosedChannelException.class);
      assertThatThrownBy(() -> victim.send(new Sold("x", 1)))
          .isInstanceOf(ClosedChannelException.class);
    }

    bystander.send(new Order("用户1", 1, List.of()));
    assertThat(bystanderEnd.receive(WAIT)).contains(new Order("用户1", 1, List.of()));
    MessageChannel<Order, Answer> newcomer = client();
    MessageChannel<Answer, Order> newcomerEnd = accept();
    newcomerEnd.send(new SoldOut("newcomer"));
    assertThat(newcomer.receive(WAIT)).contains(new SoldOut("newcomer"));
  }

  @ParameterizedTest
  @ValueSource(ints = {MessageChannel.MAX_FRAME_BYTES + 1, Integer.MAX_VALUE, -1})
  void anOversizedFrameIsRefusedByItsLength(int length) throws Exception {
    try (SocketChannel raw = rawConnection(server.socketPath())) {
      MessageChannel<Answer, Order> victim = accept();
      writeAll(raw, header(length));

      assertThatThrownBy(() -> victim.receive(WAIT))
          .isInstanceOf(MalformedFrameException.class)
          .hasMessageContaining(Integer.toUnsignedString(length))
          .hasMessageContaining(String.valueOf(MessageChannel.MAX_FRAME_BYTES));
      assertThat(raw.read(ByteBuffer.allocate(16))).isEqualTo(-1);
    }
  }

  @Test
  void anOversizedMessageIsRefusedBeforeAnythingIsSent() throws Exception {
    try (MessageChannel<String, String> sender =
            MessageChannel.connect(server.socketPath(), String.class, String.class);
        MessageChannel<Answer, Order> receiver = server.accept()) {
      // With its quotes, the JSON of this string is two bytes over the limit.
      String tooLong = "x".repeat(MessageChannel.MAX_FRAME_BYTES - 1);

      assertThatThrownBy(() -> sender.send(tooLong))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(String.valueOf(MessageChannel.MAX_FRAME_BYTES + 1))
          .hasMessageContaining("exceeds the limit");
      assertThatThrownBy(() -> sender.send(null)).isInstanceOf(NullPointerException.class);

      sender.send("{\"buyer\":\"after\",\"tickets\":1,\"seats\":[]}");
      assertThatThrownBy(() -> receiver.receive(WAIT))
          .as("the first frame to arrive is the string sent after the refused one")
          .isInstanceOf(MalformedFrameException.class)
          .hasMessageContaining("is not a " + Order.class.getName());
    }
  }

  @Test
  void aMessageJacksonCannotWriteIsRefusedAndTheChannelGoesOn() throws Exception {
    try (MessageChannel<Object, Order> sender =
            MessageChannel.connect(server.socketPath(), Object.class, Order.class);
        MessageChannel<Answer, Order> receiver = server.accept()) {
      assertThatThrownBy(() -> sender.send(new Unwritable()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Unwritable.class.getName());

      sender.send(new Order("用户1", 1, List.of()));
      assertThat(receiver.receive(WAIT)).contains(new Order("用户1", 1, List.of()));
    }
  }

  @Test
  void aPeerThatEndsInTheMiddleOfAFrameIsAnEofException() throws Exception {
    MessageChannel<Answer, Order> victim;
    try (SocketChannel raw = rawConnection(server.socketPath())) {
      victim = accept();
      writeAll(raw, frame("{\"buyer\":\"用户1\",\"tickets\":1,\"seats\":[]}"));
      writeAll(raw, header(100));
      writeAll(raw, new byte[10]);
    }

    assertThat(victim.receive(WAIT)).as("the whole frame before").isPresent();
    assertThatThrownBy(() -> victim.receive(WAIT))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("after 10 of the 100 bytes");
    assertThat(victim.isOpen()).isFalse();
  }

  @Test
  void closeWakesAWaitingReceiverAndThePeerSeesTheEnd() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();
    Receiving<Answer> waiting = receivingInAnotherThread(buyer);

    buyer.close();

    assertThatThrownBy(() -> waiting.result().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ClosedChannelException.class);
    assertThat(buyer.isOpen()).isFalse();
    buyer.close();
    assertThat(seller.receive(WAIT)).as("the peer sees the end of the stream").isEmpty();
  }

  @Test
  void sendingToAPeerThatHasGoneFails() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    accept().close();

    assertThat(buyer.receive(WAIT)).isEmpty();
    // The first write may still reach the socket's buffer; by the second the peer has refused it.
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 2; i++) {
                buyer.send(new Order("用户1", 1, List.of()));
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining(server.socketPath().toString());
    assertThatThrownBy(() -> buyer.send(new Order("用户2", 1, List.of())))
        .as("every later send, with the same reason")
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot send to " + server.socketPath() + ": ")
        .satisfies(e -> assertThat(e.getMessage()).containsOnlyOnce("cannot send to"));
  }

  @Test
  void theServersDirectoryIsPrivateAndGoesWithIt() throws Exception {
    Path directory = server.socketPath().getParent();

    assertThat(directory.getFileName().toString()).startsWith(ChannelServer.directoryPrefix());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
    assertThat(server.socketPath()).exists();
    server.close();
    server.close();

    assertThat(directory).doesNotExist();
    assertThatThrownBy(() -> MessageChannel.connect(server.socketPath(), Order.class, Answer.class))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(server.socketPath().toString());
  }

  @Test
  void aServerBoundToAPathDeletesTheSocketFileAndNothingElse(@TempDir Path directory)
      throws Exception {
    Path socket = directory.resolve("queue.sock");
    try (ChannelServer<Answer, Order> bound =
            ChannelServer.bind(socket, Answer.class, Order.class);
        MessageChannel<Order, Answer> buyer =
            MessageChannel.connect(socket, Order.class, Answer.class);
        MessageChannel<Answer, Order> seller = bound.accept()) {
      seller.send(new SoldOut("用户1"));
      assertThat(buyer.receive(WAIT)).contains(new SoldOut("用户1"));
      assertThatThrownBy(() -> ChannelServer.bind(socket, Answer.class, Order.class))
          .as("a socket file that exists")
          .isInstanceOf(IOException.class);
    }
    assertThat(socket).doesNotExist();
    assertThat(directory).exists();
  }

  @Test
  void closingTheServerStopsAnAcceptAndKeepsAcceptedChannels() throws Exception {
    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = accept();
    Future<MessageChannel<Answer, Order>> accepting = inThread(server::accept);

    server.close();

    assertThatThrownBy(() -> accepting.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ClosedChannelException.class);
    buyer.send(new Order("用户1", 1, List.of()));
    assertThat(seller.receive(WAIT)).contains(new Order("用户1", 1, List.of()));
  }

  @Test
  void aTimedAcceptWaitsItsTimeAndAnInterruptedOneLeavesTheServerListening() throws Exception {
    long start = System.nanoTime();
    assertThatThrownBy(() -> server.accept(ms(200)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining(server.socketPath().toString());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ms(200));

    AtomicReference<Thread> acceptor = new AtomicReference<>();
    Future<MessageChannel<Answer, Order>> interrupted =
        inThread(
            () -> {
              acceptor.set(Thread.currentThread());
              return server.accept();
            });
    await().atMost(WAIT).until(() -> selecting(acceptor.get(), ChannelServer.class, "accept"));
    acceptor.get().interrupt();
    assertThatThrownBy(() -> interrupted.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InterruptedException.class);

    MessageChannel<Order, Answer> buyer = client();
    MessageChannel<Answer, Order> seller = track(server.accept(WAIT));
    buyer.send(new Order("用户1", 1, List.of()));
    assertThat(seller.receive(WAIT)).contains(new Order("用户1", 1, List.of()));
  }

  /** An object that contains itself: its JSON would never end, and Jackson refuses it. */
  static final class Unwritable {
    public Unwritable getSelf() {
      return this;
    }
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /**
   * A {@code receive} of {@code channel} started in a thread of its own, returned once the thread
   * waits in it.
   */
  private static <T> Receiving<T> receivingInAnotherThread(MessageChannel<?, T> channel) {
    AtomicReference<Thread> receiver = new AtomicReference<>();
    Future<Optional<T>> result =
        inThread(
            () -> {
              receiver.set(Thread.currentThread());
              return channel.receive();
            });
    await().atMost(WAIT).until(() -> waitingIn(receiver.get(), "receive"));
    return new Receiving<>(receiver.get(), result);
  }

  /** A thread waiting in {@code receive}, and what the call returns or throws. */
  private record Receiving<T>(Thread thread, Future<Optional<T>> result) {}

  /**
   * Whether {@code thread} waits in a selector inside {@code MessageChannel.method}. A thread in a
   * selector is RUNNABLE as far as its state goes, so its stack says where it is.
   */
  private static boolean waitingIn(Thread thread, String method) {
    return selecting(thread, MessageChannel.class, method);
  }

  /** Whether {@code thread} waits in a selector inside {@code type.method}. */
  private static boolean selecting(Thread thread, Class<?> type, String method) {
    if (thread == null) {
      return false;
    }
    List<StackTraceElement> stack = List.of(thread.getStackTrace());
    return stack.stream().anyMatch(frame -> frame.getMethodName().equals("select"))
        && stack.stream()
            .anyMatch(
                frame ->
                    frame.getClassName().equals(type.getName())
                        && frame.getMethodName().equals(method));
  }

  /** Runs {@code call} on a thread of its own, which ends when the call returns. */
  private static <T> Future<T> inThread(Callable<T> call) {
    FutureTask<T> task = new FutureTask<>(call);
    Thread.ofPlatform().daemon().start(task);
    return task;
  }
}
