package io.github.concurrencycourse.common.launch;

import static io.github.concurrencycourse.common.launch.ChildProcesses.CHILD_TIME;
import static io.github.concurrencycourse.common.launch.ChildProcesses.SMALL_JVM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.ChildProcesses.Lines;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileMutex} between JVMs, in the manner of Lucene's {@code TestStressLockFactories}: child
 * JVMs wait at one start signal, then fight for one lock, and the parent, the independent observer,
 * counts who is inside the critical section. Each child says when it has entered and leaves only
 * when the parent lets it, so the parent's count is exact: a child leaves after the parent has
 * stopped counting it, and the next one can enter only after that.
 */
@Timeout(120)
class FileMutexProcessTest {

  private static final int CHILDREN = 3;

  /** How long the parent keeps a child inside, giving any other child the time to come in too. */
  private static final Duration HOLD = Duration.ofMillis(300);

  @TempDir Path directory;

  private final ChildProcesses processes = new ChildProcesses();
  private final Lines lines = new Lines();
  private final List<MessageChannel<Command, Signal>> channels = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  /** What a child tells the parent. */
  enum Signal {
    /** Started, and waiting for {@link Command#GO}. */
    READY,
    /** Inside the critical section, waiting for {@link Command#PROCEED}. */
    ENTERED
  }

  /** What the parent tells a child. */
  enum Command {
    /** Start contending: sent to every child at once. */
    GO,
    /** Leave the critical section. */
    PROCEED
  }

  /** A signal from child number {@code child}. */
  private record Event(int child, Signal signal) {}

  @AfterEach
  void stopEveryChild() throws InterruptedException {
    channels.forEach(MessageChannel::close);
    processes.close();
    for (Thread reader : readers) {
      reader.join();
    }
    try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
      assertThat(descendants.filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  @Test
  void withoutTheMutexEveryChildIsInsideAtOnce() throws Exception {
    startContenders(1, false);

    // The parent keeps each child inside until all are: only a missing exclusion lets that happen.
    Set<Integer> inside = new HashSet<>();
    while (inside.size() < CHILDREN) {
      Event event = next(CHILD_TIME);
      assertThat(event.signal()).isEqualTo(Signal.ENTERED);
      assertThat(inside.add(event.child())).isTrue();
    }

    assertThat(inside).hasSize(CHILDREN);
    for (int child : inside) {
      channels.get(child).send(Command.PROCEED);
    }
    joinAll();
  }

  @Test
  void withTheMutexNoTwoChildrenAreEverInsideAtOnce() throws Exception {
    int rounds = 2;
    startContenders(rounds, true);

    int[] sections = new int[CHILDREN];
    for (int section = 0; section < CHILDREN * rounds; section++) {
      Event entered = next(CHILD_TIME);
      assertThat(entered.signal()).isEqualTo(Signal.ENTERED);
      // Every other child is waiting for the lock right now; were it not exclusive, one would
      // come in while this one is held inside.
      Event intruder = events.poll(HOLD.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(intruder).as("a second child inside while child %d is", entered.child()).isNull();
      sections[entered.child()]++;
      channels.get(entered.child()).send(Command.PROCEED);
    }

    assertThat(sections).containsOnly(rounds);
    joinAll();
  }

  @Test
  void aChildThatDiesHoldingTheMutexLosesIt() throws Exception {
    Path file = directory.resolve("held.lock");
    ConnectedWorker<Command, Signal> holder =
        launcher("holder")
            .startConnected(Holder.class, List.of(file.toString()), Command.class, Signal.class);
    processes.track(holder.process());
    channels.add(holder.channel());
    assertThat(holder.channel().receive(CHILD_TIME)).contains(Signal.ENTERED);
    FileMutex mutex = FileMutex.at(file);

    assertThat(mutex.tryLock()).isFalse();
    long start = System.nanoTime();
    assertThat(mutex.tryLock(300, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));

    // A thread blocked on the other process's file lock can be interrupted. It waits in the
    // operating system's lock call, where it shows as RUNNABLE: find it by its stack.
    InterruptibleLockWaiter waiter = InterruptibleLockWaiter.start(mutex);
    await()
        .atMost(CHILD_TIME)
        .until(
            () ->
                Arrays.stream(waiter.thread().getStackTrace())
                    .anyMatch(frame -> frame.getMethodName().equals("lock0")));
    waiter.thread().interrupt();
    assertThat(waiter.outcome(Duration.ofSeconds(10))).isInstanceOf(InterruptedException.class);
    assertThat(mutex.tryLock()).isFalse();

    // SIGKILL: the holder never releases, the operating system does.
    holder.process().kill();
    assertThat(holder.process().join(CHILD_TIME)).isTrue();
    assertThat(mutex.tryLock(10, TimeUnit.SECONDS)).isTrue();
    mutex.unlock();
  }

  /**
   * Starts the contenders, connected, and a reader of each one's signals; waits until every child
   * is ready, then gives the start signal to all of them.
   */
  private void startContenders(int rounds, boolean locked) throws Exception {
    Path file = directory.resolve("contended.lock");
    for (int i = 0; i < CHILDREN; i++) {
      ConnectedWorker<Command, Signal> contender =
          launcher("contender-" + i)
              .startConnected(
                  Contender.class,
                  List.of(file.toString(), String.valueOf(rounds), String.valueOf(locked)),
                  Command.class,
                  Signal.class);
      processes.track(contender.process());
      channels.add(contender.channel());
      readers.add(startReader(i, contender.channel()));
    }
    for (int ready = 0; ready < CHILDREN; ready++) {
      assertThat(next(CHILD_TIME).signal()).isEqualTo(Signal.READY);
    }
    for (MessageChannel<Command, Signal> channel : channels) {
      channel.send(Command.GO);
    }
  }

  private Thread startReader(int child, MessageChannel<Command, Signal> channel) {
    return Thread.ofPlatform()
        .name("signals-of-contender-" + child)
        .start(
            () -> {
              try {
                for (Optional<Signal> signal = channel.receive();
                    signal.isPresent();
                    signal = channel.receive()) {
                  events.add(new Event(child, signal.get()));
                }
              } catch (IOException | InterruptedException e) {
                // The test closed the channel; nothing more will come.
              }
            });
  }

  private Event next(Duration timeout) throws InterruptedException {
    Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("a signal within %s; the children said %s", timeout, lines).isNotNull();
    return event;
  }

  private void joinAll() throws InterruptedException {
    for (MessageChannel<Command, Signal> channel : channels) {
      channel.close();
    }
    for (WorkerProcess child : processes.tracked()) {
      assertThat(child.join(CHILD_TIME)).as(child.name()).isTrue();
      assertThat(child.exitCode()).as(child.name() + " " + lines).hasValue(0);
    }
  }

  private WorkerLauncher launcher(String name) {
    return WorkerLauncher.builder()
        .name(name)
        .daemon(true)
        .jvmOptions(SMALL_JVM)
        .output(lines.output())
        .build();
  }

  private static void expect(MessageChannel<Signal, Command> parent, Command expected)
      throws IOException, InterruptedException {
    Optional<Command> command = parent.receive();
    if (!command.equals(Optional.of(expected))) {
      throw new IllegalStateException("expected " + expected + " from the parent, got " + command);
    }
  }

  /**
   * Says it is ready, waits for the start signal, then enters the critical section again and again,
   * under the mutex or not, each time saying so and leaving when told. Arguments: the lock file,
   * the rounds, and whether to take the mutex.
   */
  static final class Contender implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      FileMutex mutex = FileMutex.at(Path.of(arguments.get(0)));
      int rounds = Integer.parseInt(arguments.get(1));
      boolean locked = Boolean.parseBoolean(arguments.get(2));
      try (MessageChannel<Signal, Command> parent =
          MessageChannel.toParent(Signal.class, Command.class)) {
        parent.send(Signal.READY);
        expect(parent, Command.GO);
        for (int i = 0; i < rounds; i++) {
          if (locked) {
            mutex.lockInterruptibly();
          }
          try {
            parent.send(Signal.ENTERED);
            expect(parent, Command.PROCEED);
          } finally {
            if (locked) {
              mutex.unlock();
            }
          }
        }
      }
    }
  }

  /** Takes the mutex, says so, and holds it until killed. Argument: the lock file. */
  static final class Holder implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      FileMutex mutex = FileMutex.at(Path.of(arguments.get(0)));
      mutex.lockInterruptibly();
      try (MessageChannel<Signal, Command> parent =
          MessageChannel.toParent(Signal.class, Command.class)) {
        parent.send(Signal.ENTERED);
        parent.receive();
        throw new IllegalStateException("the test that started this was meant to kill it");
      }
    }
  }
}
