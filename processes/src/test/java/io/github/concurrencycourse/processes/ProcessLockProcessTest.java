package io.github.concurrencycourse.processes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.launch.ConnectedWorker;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcessLock} between JVMs, in the manner of Lucene's {@code TestStressLockFactories}:
 * children wait at one start signal, then fight for one lock, and the parent, an independent
 * observer, watches who is inside and checks the result; every child is killed in the end. Each
 * child stops inside its first critical section to say so and goes on only when the parent lets it,
 * so the parent knows for certain whether two were inside at once; a control run without the lock
 * shows them all inside together. The mutex the lock is made of is tested between JVMs in {@code
 * common}'s {@code FileMutexProcessTest}.
 */
@Timeout(120)
class ProcessLockProcessTest {

  private static final List<String> SMALL_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k");
  private static final Duration CHILD_TIME = Duration.ofSeconds(60);

  /** How long the parent keeps a child inside, giving any other child the time to come in too. */
  private static final Duration HOLD = Duration.ofMillis(300);

  private static final int JVMS = 3;

  /** What a child tells the parent. */
  enum Signal {
    /** Started, and waiting for {@link Command#GO}. */
    READY,
    /** Inside its first critical section, waiting for {@link Command#PROCEED}. */
    ENTERED
  }

  /** What the parent tells a child. */
  enum Command {
    /** Start: sent to every child at once. */
    GO,
    /** Leave the critical section. */
    PROCEED
  }

  /** A signal from child number {@code child}. */
  private record Event(int child, Signal signal) {}

  @TempDir Path directory;

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<ConnectedWorker<Command, Signal>> children = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  @AfterEach
  void killEveryChild() throws InterruptedException {
    children.forEach(ConnectedWorker::close);
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void threadsOfSeveralJvmsNeverLoseAnUpdateOfASharedFile() throws Exception {
    int threads = 2;
    int rounds = 40;
    Path counter = startIncrementers(threads, rounds, true);

    // Every other child is at the lock now; were it not exclusive, one would come in.
    for (int section = 0; section < JVMS; section++) {
      Event inside = next();
      assertThat(inside.signal()).isEqualTo(Signal.ENTERED);
      Event intruder = events.poll(HOLD.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(intruder).as("a second JVM inside while child %d is", inside.child()).isNull();
      children.get(inside.child()).channel().send(Command.PROCEED);
    }
    joinAll();

    // Every increment is a read, a pause and a write: one overlap would lose an update.
    assertThat(Files.readString(counter)).isEqualTo(String.valueOf(JVMS * threads * rounds));
  }

  @Test
  void withoutTheLockTheJvmsAreInsideAtOnceAndLoseUpdates() throws Exception {
    Path counter = startIncrementers(1, 1, false);

    // The parent keeps each child inside until all are: only a missing exclusion lets that happen.
    boolean[] inside = new boolean[JVMS];
    for (int entered = 0; entered < JVMS; entered++) {
      Event event = next();
      assertThat(event.signal()).isEqualTo(Signal.ENTERED);
      assertThat(inside[event.child()]).as("child %d entered twice", event.child()).isFalse();
      inside[event.child()] = true;
    }
    for (ConnectedWorker<Command, Signal> child : children) {
      child.channel().send(Command.PROCEED);
    }
    joinAll();

    // Each read 0 before any wrote, and each wrote 1.
    assertThat(Files.readString(counter)).isEqualTo("1");
  }

  /**
   * Starts the incrementers, connected, and a reader of each one's signals; waits until every child
   * is ready, then gives the start signal to all of them. Returns the counter file.
   */
  private Path startIncrementers(int threads, int rounds, boolean locked) throws Exception {
    Path lockFile = directory.resolve("counter.lock");
    Path counter = directory.resolve("counter.txt");
    Files.writeString(counter, "0");
    for (int i = 0; i < JVMS; i++) {
      ConnectedWorker<Command, Signal> child =
          launcher("incrementer-" + i)
              .startConnected(
                  Incrementer.class,
                  List.of(
                      lockFile.toString(),
                      counter.toString(),
                      String.valueOf(threads),
                      String.valueOf(rounds),
                      String.valueOf(locked)),
                  Command.class,
                  Signal.class);
      children.add(child);
      readers.add(startReader(i, child.channel()));
    }
    for (int ready = 0; ready < JVMS; ready++) {
      assertThat(next().signal()).isEqualTo(Signal.READY);
    }
    for (ConnectedWorker<Command, Signal> child : children) {
      child.channel().send(Command.GO);
    }
    return counter;
  }

  private Thread startReader(int child, MessageChannel<Command, Signal> channel) {
    return Thread.ofPlatform()
        .name("signals-of-incrementer-" + child)
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

  private Event next() throws InterruptedException {
    Event event = events.poll(CHILD_TIME.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("a signal within %s; the children said %s", CHILD_TIME, lines).isNotNull();
    return event;
  }

  private void joinAll() throws InterruptedException {
    for (ConnectedWorker<Command, Signal> child : children) {
      child.channel().close();
      WorkerProcess process = child.process();
      assertThat(process.join(CHILD_TIME)).as(process.name()).isTrue();
      assertThat(process.exitValue()).as(process.name() + " " + lines).isZero();
    }
  }

  private WorkerLauncher launcher(String name) {
    return WorkerLauncher.builder()
        .name(name)
        .daemon(true)
        .jvmOptions(SMALL_JVM)
        .output(WorkerOutput.prefixedLines(lines::add))
        .build();
  }

  /**
   * Says it is ready and waits for the start signal, then increments the counter file, under the
   * lock or not: each increment reads, pauses and writes. The first increment of thread 0 says,
   * between its read and its write, that it is inside, and waits until the parent lets it go.
   * Arguments: lock, counter, threads, rounds, whether to take the lock.
   */
  static final class Incrementer implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      ProcessLock lock = ProcessLock.at(Path.of(arguments.get(0)));
      Path counter = Path.of(arguments.get(1));
      int rounds = Integer.parseInt(arguments.get(3));
      boolean locked = Boolean.parseBoolean(arguments.get(4));
      try (MessageChannel<Signal, Command> parent =
          MessageChannel.toParent(Signal.class, Command.class)) {
        parent.send(Signal.READY);
        expect(parent, Command.GO);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < Integer.parseInt(arguments.get(2)); t++) {
          boolean watched = t == 0;
          threads.add(
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try {
                          for (int i = 0; i < rounds; i++) {
                            boolean watchedNow = watched && i == 0;
                            if (locked) {
                              try (ProcessLock.Held held = lock.acquire()) {
                                increment(counter, watchedNow ? parent : null);
                                assertThat(held.isValid()).isTrue();
                              }
                            } else {
                              increment(counter, watchedNow ? parent : null);
                            }
                          }
                        } catch (Exception | AssertionError e) {
                          failures.add(e);
                        }
                      }));
        }
        for (Thread thread : threads) {
          thread.join();
        }
        if (!failures.isEmpty()) {
          throw new IllegalStateException("an incrementer failed", failures.get(0));
        }
      }
    }

    /**
     * Reads the counter, pauses and writes it plus one. With a {@code parent}, says between the
     * read and the write that it is inside, and waits until the parent lets it go.
     */
    private static void increment(Path counter, MessageChannel<Signal, Command> parent)
        throws IOException, InterruptedException {
      int value = Integer.parseInt(Files.readString(counter));
      if (parent != null) {
        parent.send(Signal.ENTERED);
        expect(parent, Command.PROCEED);
      }
      Thread.sleep(1); // widens the window an overlap would need
      Files.writeString(counter, String.valueOf(value + 1));
    }

    private static void expect(MessageChannel<Signal, Command> parent, Command expected)
        throws IOException, InterruptedException {
      Optional<Command> command = parent.receive();
      if (!command.equals(Optional.of(expected))) {
        throw new IllegalStateException(
            "expected " + expected + " from the parent, got " + command);
      }
    }
  }
}
