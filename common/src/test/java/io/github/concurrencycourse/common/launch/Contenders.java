package io.github.concurrencycourse.common.launch;

import static io.github.concurrencycourse.common.launch.ChildProcesses.CHILD_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.launch.ChildProcesses.Lines;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs that contend for something, released by one start signal and watched by the parent, in
 * the manner of Lucene's {@code TestStressLockFactories}.
 *
 * <p>Each child, once it has loaded what it needs, says {@link Signal#READY} over its channel and
 * waits for {@link Command#GO}; the parent gives it to every child at once when all are ready
 * ({@link #startTogether()}), so that they contend on every run instead of finishing their JVM
 * starts one after another and never meeting. Inside its critical section a child says {@link
 * Signal#ENTERED} and waits for {@link Command#PROCEED}: the parent, the independent observer, then
 * knows exactly who is inside and decides when each leaves. A child's side of this is {@link
 * Contender}.
 *
 * <p>Not thread-safe: the test drives it from one thread. {@link #close()} kills every child and
 * ends the threads that read their signals.
 */
public final class Contenders implements AutoCloseable {

  /** What a child tells the parent. */
  public enum Signal {
    /** Started, and waiting for {@link Command#GO}. */
    READY,
    /** Inside the critical section, waiting for {@link Command#PROCEED}. */
    ENTERED
  }

  /** What the parent tells a child. */
  public enum Command {
    /** Start contending: sent to every child at once. */
    GO,
    /** Leave the critical section. */
    PROCEED
  }

  /** A signal from child number {@code child}, numbered from 0 in the order they were started. */
  public record Event(int child, Signal signal) {}

  private final ChildProcesses processes = new ChildProcesses();
  private final Lines lines;
  private final List<MessageChannel<Command, Signal>> channels = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  /** Contenders whose output lines are collected in {@code lines}. */
  public Contenders(Lines lines) {
    this.lines = lines;
  }

  /**
   * Starts child number {@link #count()}, connected, running {@code task} with {@code arguments},
   * and a thread that reads its signals.
   */
  public void start(String name, Class<? extends WorkerTask> task, List<String> arguments)
      throws IOException, InterruptedException {
    ConnectedWorker<Command, Signal> child =
        WorkerLauncher.builder()
            .name(name)
            .daemon(true)
            .jvmOptions(ChildProcesses.SMALL_JVM)
            .output(lines.output())
            .build()
            .startConnected(task, arguments, Command.class, Signal.class);
    processes.track(child.process());
    channels.add(child.channel());
    readers.add(startReader(channels.size() - 1, child.channel()));
  }

  /** Child number {@code child}'s process. */
  public WorkerProcess process(int child) {
    return processes.tracked().get(child);
  }

  /** How many children were started. */
  public int count() {
    return channels.size();
  }

  /** Waits until every child is ready, then gives the start signal to all of them. */
  public void startTogether() throws IOException, InterruptedException {
    for (int ready = 0; ready < count(); ready++) {
      assertThat(next(CHILD_TIME).signal()).isEqualTo(Signal.READY);
    }
    for (MessageChannel<Command, Signal> channel : channels) {
      channel.send(Command.GO);
    }
  }

  /** The next signal of any child, waiting up to {@code timeout} for one; fails if none comes. */
  public Event next(Duration timeout) throws InterruptedException {
    Event event = poll(timeout);
    assertThat(event).as("a signal within %s; the children said %s", timeout, lines).isNotNull();
    return event;
  }

  /** The next signal of any child, or null if none comes within {@code timeout}. */
  public Event poll(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Lets child {@code child} leave its critical section. */
  public void proceed(int child) throws IOException {
    channels.get(child).send(Command.PROCEED);
  }

  /**
   * Holds each child that enters for {@code hold}, failing if another child enters meanwhile, then
   * lets it go; until {@code sections} critical sections have been watched. Every other child that
   * is still to enter is waiting for the lock all that time: were it not exclusive, one would come
   * in.
   *
   * @return how many sections each child went through
   */
  public int[] watchExclusiveSections(int sections, Duration hold)
      throws IOException, InterruptedException {
    int[] entered = new int[count()];
    for (int section = 0; section < sections; section++) {
      Event inside = next(CHILD_TIME);
      assertThat(inside.signal()).isEqualTo(Signal.ENTERED);
      Event intruder = poll(hold);
      assertThat(intruder).as("a second child inside while child %d is", inside.child()).isNull();
      entered[inside.child()]++;
      proceed(inside.child());
    }
    return entered;
  }

  /**
   * Waits until every child has entered its critical section, none having left, and returns leaving
   * them all inside: only a missing exclusion lets that happen.
   */
  public void awaitEveryChildInsideAtOnce() throws InterruptedException {
    boolean[] inside = new boolean[count()];
    for (int entered = 0; entered < count(); entered++) {
      Event event = next(CHILD_TIME);
      assertThat(event.signal()).isEqualTo(Signal.ENTERED);
      assertThat(inside[event.child()]).as("child %d entered twice", event.child()).isFalse();
      inside[event.child()] = true;
    }
  }

  /** Lets every child leave its critical section. */
  public void proceedAll() throws IOException {
    for (int child = 0; child < count(); child++) {
      proceed(child);
    }
  }

  /** {@link #joinAll(Duration)} with {@link ChildProcesses#CHILD_TIME} for each child. */
  public void joinAll() throws InterruptedException {
    joinAll(CHILD_TIME);
  }

  /**
   * Closes the channels and waits up to {@code timeout} for each child to exit, checking that each
   * exited with 0.
   */
  public void joinAll(Duration timeout) throws InterruptedException {
    channels.forEach(MessageChannel::close);
    for (WorkerProcess child : processes.tracked()) {
      assertThat(child.join(timeout)).as("%s finished within %s", child.name(), timeout).isTrue();
      assertThat(child.exitCode()).as(child.name() + " " + lines).hasValue(0);
    }
  }

  /**
   * Closes the channels, kills every child still running and waits for the reader threads, which
   * end with their channels; if interrupted, returns with the interrupt status set.
   */
  @Override
  public void close() {
    channels.forEach(MessageChannel::close);
    processes.close();
    try {
      for (Thread reader : readers) {
        reader.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  /**
   * A child's side: its channel to the parent, through which it says it is ready and waits for the
   * start signal, then says when it has entered its critical section and waits to be let go. Used
   * by one thread at a time.
   */
  public static final class Contender implements AutoCloseable {

    private final MessageChannel<Signal, Command> parent;

    private Contender(MessageChannel<Signal, Command> parent) {
      this.parent = parent;
    }

    /** Connects to the parent that started this JVM through {@link Contenders#start}. */
    public static Contender connect() throws IOException {
      return new Contender(MessageChannel.toParent(Signal.class, Command.class));
    }

    /** Says this child is ready and waits for the start signal. */
    public void awaitStart() throws IOException, InterruptedException {
      parent.send(Signal.READY);
      expect(Command.GO);
    }

    /** Says this child has entered its critical section and waits until the parent lets it go. */
    public void entered() throws IOException, InterruptedException {
      parent.send(Signal.ENTERED);
      expect(Command.PROCEED);
    }

    @Override
    public void close() {
      parent.close();
    }

    private void expect(Command expected) throws IOException, InterruptedException {
      Optional<Command> command = parent.receive();
      if (!command.equals(Optional.of(expected))) {
        throw new IllegalStateException(
            "expected " + expected + " from the parent, got " + command);
      }
    }
  }
}
