package io.github.concurrencycourse.common.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM half of {@link FileMutex}: threads of one JVM, reentrancy, timeouts, interrupts. */
@Timeout(60)
class FileMutexTest {

  @TempDir Path directory;

  @Test
  void threadsOfOneJvmExcludeEachOtherThroughSeparateInstancesAndPaths() throws Exception {
    Path file = directory.resolve("counter.lock");
    Path link = Files.createSymbolicLink(directory.resolve("link.lock"), file.getFileName());
    List<Path> spellings = List.of(file, directory.resolve(".").resolve("counter.lock"), link);
    int[] counter = {0};
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      // One instance per thread, through three spellings of one file: all are one lock.
      FileMutex mutex = FileMutex.at(spellings.get(t % spellings.size()));
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    awaitQuietly(start);
                    for (int i = 0; i < 500; i++) {
                      mutex.lock();
                      try {
                        if (inside.incrementAndGet() > 1) {
                          overlaps.incrementAndGet();
                        }
                        counter[0]++;
                        inside.decrementAndGet();
                      } finally {
                        mutex.unlock();
                      }
                    }
                  }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(overlaps).hasValue(0);
    assertThat(counter[0]).isEqualTo(8 * 500);
  }

  @Test
  void isReentrantAndFreedOnlyByTheLastRelease() throws Exception {
    FileMutex mutex = FileMutex.at(directory.resolve("r.lock"));
    mutex.lockInterruptibly();
    mutex.lockInterruptibly();
    mutex.unlock();

    assertThat(mutex.isHeldByCurrentThread()).isTrue();
    assertThat(tryFromAnotherThread(mutex)).isFalse();
    mutex.unlock();
    assertThat(mutex.isHeldByCurrentThread()).isFalse();
    assertThat(tryFromAnotherThread(mutex)).isTrue();
  }

  @Test
  void onlyTheHolderMayUnlock() throws Exception {
    FileMutex mutex = FileMutex.at(directory.resolve("owner.lock"));
    assertThatThrownBy(mutex::unlock)
        .isInstanceOf(IllegalMonitorStateException.class)
        .hasMessageContaining("owner.lock");

    mutex.lock();
    try {
      assertThatThrownBy(() -> CompletableFuture.runAsync(mutex::unlock).get())
          .hasCauseInstanceOf(IllegalMonitorStateException.class);
      assertThat(mutex.isHeldByCurrentThread()).isTrue();
    } finally {
      mutex.unlock();
    }
  }

  @Test
  void aTimedTryWaitsItsTimeAndSucceedsOnceTheLockIsFree() throws Exception {
    FileMutex mutex = FileMutex.at(directory.resolve("timed.lock"));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        Thread.ofPlatform()
            .start(
                () -> {
                  mutex.lock();
                  try {
                    held.countDown();
                    awaitQuietly(release);
                  } finally {
                    mutex.unlock();
                  }
                });
    held.await();

    long start = System.nanoTime();
    assertThat(mutex.tryLock(200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(mutex.tryLock()).isFalse();

    release.countDown();
    holder.join();
    assertThat(mutex.tryLock(10, TimeUnit.SECONDS)).isTrue();
    mutex.unlock();
  }

  @Test
  void aWaitingThreadCanBeInterruptedAndHoldsNothingAfterwards() throws Exception {
    FileMutex mutex = FileMutex.at(directory.resolve("interrupt.lock"));
    mutex.lock();
    try {
      InterruptibleLockWaiter waiter = InterruptibleLockWaiter.start(mutex);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> waiter.thread().getState() == Thread.State.WAITING);
      waiter.thread().interrupt();

      assertThat(waiter.outcome(Duration.ofSeconds(10))).isInstanceOf(InterruptedException.class);
      assertThat(mutex.isHeldByCurrentThread()).isTrue();
    } finally {
      mutex.unlock();
    }
    assertThat(tryFromAnotherThread(mutex)).isTrue();
  }

  @Test
  void anInterruptedThreadDoesNotAcquireWhileLockAcquiresAndKeepsTheInterrupt() {
    FileMutex mutex = FileMutex.at(directory.resolve("pre-interrupted.lock"));

    Thread.currentThread().interrupt();
    assertThatThrownBy(mutex::lockInterruptibly).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    assertThat(mutex.isHeldByCurrentThread()).isFalse();

    Thread.currentThread().interrupt();
    mutex.lock();
    try {
      assertThat(Thread.interrupted()).isTrue();
      assertThat(mutex.isHeldByCurrentThread()).isTrue();
    } finally {
      mutex.unlock();
    }
  }

  @Test
  void aFileLockTakenOutsideTheMutexIsAClearErrorAndLeavesNothingHeld() throws Exception {
    Path file = directory.resolve("foreign.lock");
    FileMutex mutex = FileMutex.at(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock foreign = channel.lock()) {
      assertThat(foreign.isValid()).isTrue();
      assertThatThrownBy(mutex::tryLock)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("outside FileMutex");
      assertThat(mutex.isHeldByCurrentThread()).isFalse();
    }
    assertThat(tryFromAnotherThread(mutex)).isTrue();
  }

  @Test
  void aDeletedLockFileComesBackAtTheNextLock() throws Exception {
    Path file = directory.resolve("cleaned-up.lock");
    FileMutex mutex = FileMutex.at(file);
    Files.delete(file);

    mutex.lockInterruptibly();
    try {
      assertThat(file).exists();
    } finally {
      mutex.unlock();
    }
  }

  @Test
  void aLockFileInAMissingDirectoryIsAClearError() {
    Path missing = directory.resolve("no-such-directory").resolve("x.lock");
    assertThatThrownBy(() -> FileMutex.at(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
    assertThat(missing.getParent()).doesNotExist();
  }

  @Test
  void hasNoConditions() {
    FileMutex mutex = FileMutex.at(directory.resolve("c.lock"));
    assertThatThrownBy(mutex::newCondition).isInstanceOf(UnsupportedOperationException.class);
  }

  private static boolean tryFromAnotherThread(FileMutex mutex)
      throws InterruptedException, ExecutionException {
    return CompletableFuture.supplyAsync(
            () -> {
              if (mutex.tryLock()) {
                mutex.unlock();
                return true;
              }
              return false;
            })
        .get();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
