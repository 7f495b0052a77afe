package io.github.concurrencycourse.common.launch;

import static io.github.concurrencycourse.common.launch.ChannelMessages.channelDirectories;
import static io.github.concurrencycourse.common.launch.ChildProcesses.CHILD_TIME;
import static io.github.concurrencycourse.common.launch.ChildProcesses.SMALL_JVM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.ChannelMessages.Answer;
import io.github.concurrencycourse.common.launch.ChannelMessages.Order;
import io.github.concurrencycourse.common.launch.ChannelMessages.Sold;
import io.github.concurrencycourse.common.launch.ChannelMessages.SoldOut;
import io.github.concurrencycourse.common.launch.ChannelTasks.ClaimsTwice;
import io.github.concurrencycourse.common.launch.ChannelTasks.DiesMidFrame;
import io.github.concurrencycourse.common.launch.ChannelTasks.Seller;
import io.github.concurrencycourse.common.launch.ChannelTasks.SellerProcess;
import io.github.concurrencycourse.common.launch.ChannelTasks.SendsOversizedFrame;
import io.github.concurrencycourse.common.launch.ChildProcesses.Lines;
import java.io.EOFException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link WorkerLauncher#startConnected}: the channel between a parent and a child JVM. */
@Timeout(120)
class ConnectedWorkerTest {

  private final ChildProcesses children = new ChildProcesses();
  private final Lines lines = new Lines();
  private List<Path> directoriesBefore;

  @BeforeEach
  void listChannelDirectories() throws Exception {
    directoriesBefore = channelDirectories();
  }

  @AfterEach
  void nothingIsLeft() throws Exception {
    children.close();
    try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
      assertThat(descendants.filter(ProcessHandle::isAlive)).isEmpty();
    }
    assertThat(channelDirectories()).as("channel directories").isEqualTo(directoriesBefore);
  }

  private WorkerLauncher.Builder launcher(String name) {
    return WorkerLauncher.builder().name(name).jvmOptions(SMALL_JVM).output(lines.output());
  }

  private <O, I> ConnectedWorker<O, I> track(ConnectedWorker<O, I> worker) {
    children.track(worker.process());
    return worker;
  }

  @Test
  void aConnectedWorkerAndItsParentTalkBothWays() throws Exception {
    ConnectedWorker<Order, Answer> seller =
        track(
            launcher("售票处")
                .build()
                .startConnected(Seller.class, List.of("2"), Order.class, Answer.class));
    MessageChannel<Order, Answer> channel = seller.channel();
    assertThat(channel.socketPath().getParent())
        .as("the socket's directory, gone once the child connected")
        .doesNotExist();

    for (int i = 1; i <= 3; i++) {
      channel.send(new Order("用户" + i, 1, List.of()));
    }

    assertThat(channel.receive(CHILD_TIME)).contains(new Sold("用户1", 2));
    assertThat(channel.receive(CHILD_TIME)).contains(new Sold("用户2", 1));
    assertThat(channel.receive(CHILD_TIME)).contains(new SoldOut("用户3"));
    channel.close();
    assertThat(seller.process().join(CHILD_TIME)).isTrue();
    assertThat(seller.process().exitCode()).hasValue(0);
    assertThat(lines.all()).contains("[售票处] parent hung up");
  }

  @Test
  void aWorkerSubclassIsConnectedToo() throws Exception {
    try (ConnectedWorker<Order, Answer> seller =
        track(
            launcher("seller-process")
                .build()
                .startConnected(new SellerProcess(1), Order.class, Answer.class))) {
      seller.channel().send(new Order("用户1", 1, List.of()));
      seller.channel().send(new Order("用户2", 1, List.of()));

      assertThat(seller.channel().receive(CHILD_TIME)).contains(new Sold("用户1", 1));
      assertThat(seller.channel().receive(CHILD_TIME)).contains(new SoldOut("用户2"));
    }
  }

  @Test
  void aChildThatDiesInTheMiddleOfAFrameIsAnEofException() throws Exception {
    ConnectedWorker<Order, Answer> dying =
        track(
            launcher("dying")
                .build()
                .startConnected(DiesMidFrame.class, List.of(), Order.class, Answer.class));

    assertThatThrownBy(() -> dying.channel().receive(CHILD_TIME))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("after 400 of the 1000 bytes");
    assertThat(dying.channel().isOpen()).isFalse();
    assertThat(dying.process().join(CHILD_TIME)).isTrue();
    assertThat(dying.process().exitCode()).hasValue(7);
  }

  @Test
  void anOversizedFrameFromAChildClosesItsChannelAndNothingElse() throws Exception {
    ConnectedWorker<Order, Answer> seller =
        track(
            launcher("seller")
                .build()
                .startConnected(Seller.class, List.of("1"), Order.class, Answer.class));
    ConnectedWorker<Order, Answer> rogue =
        track(
            launcher("rogue")
                .build()
                .startConnected(SendsOversizedFrame.class, List.of(), Order.class, Answer.class));

    assertThatThrownBy(() -> rogue.channel().receive(CHILD_TIME))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining(String.valueOf(MessageChannel.MAX_FRAME_BYTES + 1));
    assertThat(rogue.process().join(CHILD_TIME)).as("the rogue saw the parent hang up").isTrue();
    assertThat(rogue.process().exitCode()).hasValue(0);
    assertThat(lines.all()).contains("[rogue] parent hung up");

    seller.channel().send(new Order("用户1", 1, List.of()));
    assertThat(seller.channel().receive(CHILD_TIME)).contains(new Sold("用户1", 1));
    seller.close();
  }

  @Test
  void aChildThatExitsBeforeConnectingIsAWorkerStartException() {
    WorkerLauncher broken = launcher("broken").jvmOptions("-XX:+NoSuchJvmOption").build();

    assertThatThrownBy(
            () -> broken.startConnected(Seller.class, List.of("1"), Order.class, Answer.class))
        .isInstanceOfSatisfying(
            WorkerStartException.class,
            e -> {
              assertThat(e.workerName()).isEqualTo("broken");
              assertThat(e.exitCode()).hasValue(1);
              assertThat(e.getMessage())
                  .matches(
                      "worker 'broken' \\(pid \\d+\\) exited with code 1 before connecting to its"
                          + " parent; its standard error says why");
            });
  }

  @Test
  void aChildThatDoesNotConnectInTimeIsKilled(@TempDir Path directory) {
    WorkerLauncher paused = pausedAtStartup("paused", directory).connectTimeout(ms(1500)).build();

    long start = System.nanoTime();
    assertThatThrownBy(
            () -> paused.startConnected(Seller.class, List.of("1"), Order.class, Answer.class))
        .isInstanceOfSatisfying(
            WorkerStartException.class,
            e -> {
              assertThat(e.exitCode()).isEmpty();
              assertThat(e.getMessage())
                  .endsWith("did not connect to its parent within PT1.5S and was killed");
              assertThat(ProcessHandle.of(e.pid()).filter(ProcessHandle::isAlive)).isEmpty();
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ms(1500));
  }

  @Test
  void anInterruptWhileWaitingForTheChildKillsIt(@TempDir Path directory) throws Exception {
    WorkerLauncher paused = pausedAtStartup("interrupted", directory).build();
    CompletableFuture<Thread> starter = new CompletableFuture<>();
    CompletableFuture<ConnectedWorker<Order, Answer>> starting = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              starter.complete(Thread.currentThread());
              try {
                starting.complete(
                    paused.startConnected(Seller.class, List.of("1"), Order.class, Answer.class));
              } catch (Exception e) {
                starting.completeExceptionally(e);
              }
            });
    await()
        .atMost(CHILD_TIME)
        .until(() -> ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive));

    starter.get().interrupt();

    assertThatThrownBy(() -> starting.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void theChildsEndIsTakenOnceAndOnlyWhereThereIsOne() throws Exception {
    WorkerProcess unconnected = children.track(launcher("plain").build().start(ClaimsTwice.class));
    ConnectedWorker<Order, Answer> connected =
        track(
            launcher("connected")
                .build()
                .startConnected(ClaimsTwice.class, List.of(), Order.class, Answer.class));

    assertThat(unconnected.join(CHILD_TIME)).isTrue();
    assertThat(unconnected.failure().orElseThrow().getMessage())
        .contains("IllegalStateException")
        .contains("start it with WorkerLauncher.startConnected");
    assertThat(connected.process().join(CHILD_TIME)).isTrue();
    assertThat(connected.process().failure().orElseThrow().getMessage()).contains("taken already");
    connected.close();
  }

  /** A child JVM that stops before running any code, until a file is deleted: it never connects. */
  private WorkerLauncher.Builder pausedAtStartup(String name, Path directory) {
    return launcher(name)
        .jvmOptions(
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:+PauseAtStartup",
            "-XX:PauseAtStartupFile=" + directory.resolve("paused"));
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
