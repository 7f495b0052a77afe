package io.github.concurrencycourse.common.launch;

import static io.github.concurrencycourse.common.launch.ChildProcesses.CHILD_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.ChildProcesses.Lines;
import io.github.concurrencycourse.common.launch.Contenders.Contender;
import io.github.concurrencycourse.common.launch.Contenders.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileMutex} between JVMs, in the manner of Lucene's {@code TestStressLockFactories}: child
 * JVMs wait at one start signal, then fight for one lock, and the parent, the independent observer,
 * counts who is inside the critical section (see {@link Contenders}). Each child says when it has
 * entered and leaves only when the parent lets it, so the parent's count is exact: a child leaves
 * after the parent has stopped counting it, and the next one can enter only after that. Children of
 * several threads that increment one file prove what the mutex is for: no update is lost under it,
 * and updates are lost without it.
 */
@Timeout(120)
class FileMutexProcessTest {

  private static final int CHILDREN = 3;

  /** How long the parent keeps a child inside, giving any other child the time to come in too. */
  private static final Duration HOLD = Duration.ofMillis(300);

  @TempDir Path directory;

  private final Lines lines = new Lines();
  private final Contenders contenders = new Contenders(lines);

  @AfterEach
  void stopEveryChild() {
    contenders.close();
    try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
      assertThat(descendants.filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  @Test
  void withoutTheMutexEveryChildIsInsideAtOnceAndUpdatesAreLost() throws Exception {
    Path counter = startIncrementers(1, 1, false);

    // The parent keeps each child inside until all are: only a missing exclusion lets that happen.
    contenders.awaitEveryChildInsideAtOnce();

    contenders.proceedAll();
    contenders.joinAll();
    // Each read 0 before any wrote, and each wrote 1.
    assertThat(Files.readString(counter)).isEqualTo("1");
  }

  @Test
  void withTheMutexNoTwoChildrenAreEverInsideAtOnce() throws Exception {
    int rounds = 2;
    startContenders(rounds);

    int[] sections = contenders.watchExclusiveSections(CHILDREN * rounds, HOLD);

    assertThat(sections).containsOnly(rounds);
    contenders.joinAll();
  }

  @Test
  void threadsOfSeveralJvmsNeverLoseAnUpdateOfASharedFile() throws Exception {
    int threads = 2;
    int rounds = 40;
    Path counter = startIncrementers(threads, rounds, true);

    // Each JVM's first increment is held inside while the other JVMs' threads wait at the mutex.
    assertThat(contenders.watchExclusiveSections(CHILDREN, HOLD)).containsOnly(1);
    contenders.joinAll();

    // Every increment is a read, a pause and a write: one overlap would lose an update.
    assertThat(Files.readString(counter)).isEqualTo(String.valueOf(CHILDREN * threads * rounds));
  }

  @Test
  void aChildThatDiesHoldingTheMutexLosesIt() throws Exception {
    Path file = directory.resolve("held.lock");
    contenders.start("holder", Holder.class, List.of(file.toString()));
    assertThat(contenders.next(CHILD_TIME).signal()).isEqualTo(Signal.ENTERED);
    WorkerProcess holder = contenders.process(0);
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
    holder.kill();
    assertThat(holder.join(CHILD_TIME)).isTrue();
    assertThat(mutex.tryLock(10, TimeUnit.SECONDS)).isTrue();
    mutex.unlock();
  }

  /** Starts the contenders and gives them the start signal once all are ready. */
  private void startContenders(int rounds) throws Exception {
    Path file = directory.resolve("contended.lock");
    for (int i = 0; i < CHILDREN; i++) {
      contenders.start(
          "contender-" + i, MutexContender.class, List.of(file.toString(), String.valueOf(rounds)));
    }
    contenders.startTogether();
  }

  /**
   * Starts the incrementers of a counter file that holds 0, and gives them the start signal once
   * all are ready. Returns the counter file.
   */
  private Path startIncrementers(int threads, int rounds, boolean locked) throws Exception {
    Path counter = directory.resolve("counter.txt");
    Files.writeString(counter, "0");
    for (int i = 0; i < CHILDREN; i++) {
      contenders.start(
          "incrementer-" + i,
          Incrementer.class,
          List.of(
              directory.resolve("counter.lock").toString(),
              counter.toString(),
              String.valueOf(threads),
              String.valueOf(rounds),
              String.valueOf(locked)));
    }
    contenders.startTogether();
    return counter;
  }

  /**
   * Says it is ready, waits for the start signal, then enters the critical section under the mutex
   * again and again, each time saying so and leaving when told. Arguments: the lock file and the
   * rounds.
   */
  static final class MutexContender implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      FileMutex mutex = FileMutex.at(Path.of(arguments.get(0)));
      int rounds = Integer.parseInt(arguments.get(1));
      try (Contender parent = Contender.connect()) {
        parent.awaitStart();
        for (int i = 0; i < rounds; i++) {
          mutex.lockInterruptibly();
          try {
            parent.entered();
          } finally {
            mutex.unlock();
          }
        }
      }
    }
  }

  /**
   * Says it is ready and waits for the start signal, then increments the counter file from several
   * threads, under the mutex or not: each increment reads, pauses and writes. The first increment
   * of thread 0 says, between its read and its write, that it is inside, and waits until the parent
   * lets it go. Arguments: the lock file, the counter, threads, rounds, whether to take the mutex.
   */
  static final class Incrementer implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      FileMutex mutex = FileMutex.at(Path.of(arguments.get(0)));
      Path counter = Path.of(arguments.get(1));
      int threads = Integer.parseInt(arguments.get(2));
      int rounds = Integer.parseInt(arguments.get(3));
      boolean locked = Boolean.parseBoolean(arguments.get(4));
      try (Contender parent = Contender.connect()) {
        parent.awaitStart();
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
          Contender watcher = t == 0 ? parent : null;
          started.add(
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try {
                          for (int i = 0; i < rounds; i++) {
                            Contender watching = i == 0 ? watcher : null;
                            if (locked) {
                              mutex.lockInterruptibly();
                            }
                            try {
                              increment(counter, watching);
                            } finally {
                              if (locked) {
                                mutex.unlock();
                              }
                            }
                          }
                        } catch (IOException | InterruptedException | RuntimeException e) {
                          failures.add(e);
                        }
                      }));
        }
        for (Thread thread : started) {
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
    private static void increment(Path counter, Contender parent)
        throws IOException, InterruptedException {
      int value = Integer.parseInt(Files.readString(counter));
      if (parent != null) {
        parent.entered();
      }
      Thread.sleep(1); // widens the window an overlap would need
      Files.writeString(counter, String.valueOf(value + 1));
    }
  }

  /**
   * Takes the mutex, says so, and holds it until killed: the parent never lets it go. Argument: the
   * lock file.
   */
  static final class Holder implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      FileMutex mutex = FileMutex.at(Path.of(arguments.get(0)));
      mutex.lockInterruptibly();
      try (Contender parent = Contender.connect()) {
        parent.entered();
        throw new IllegalStateException("the test that started this was meant to kill it");
      }
    }
  }
}
