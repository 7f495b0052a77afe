package io.github.concurrencycourse.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ProcessLock} adds to the {@code FileMutex} it is (whose own tests are in {@code
 * common}): holds for try-with-resources, timed and interruptible acquisition through them, and
 * locks found by name.
 */
@Timeout(60)
class ProcessLockTest {

  @TempDir Path directory;

  @Test
  void isReentrantAndFreedOnlyByTheLastRelease() throws Exception {
    ProcessLock lock = ProcessLock.at(directory.resolve("r.lock"));
    try (ProcessLock.Held outer = lock.acquire()) {
      try (ProcessLock.Held inner = lock.acquire()) {
        assertThat(inner.isValid()).isTrue();
      }
      assertThat(outer.isValid()).isTrue();
      assertThat(lock.isHeldByCurrentThread()).isTrue();
      assertThat(tryFromAnotherThread(lock)).isFalse();
    }
    assertThat(lock.isHeldByCurrentThread()).isFalse();
    assertThat(tryFromAnotherThread(lock)).isTrue();
  }

  @Test
  void onlyTheHolderMayRelease() throws Exception {
    ProcessLock lock = ProcessLock.at(directory.resolve("owner.lock"));
    assertThatThrownBy(lock::unlock)
        .isInstanceOf(IllegalMonitorStateException.class)
        .hasMessageContaining("owner.lock");

    ProcessLock.Held held = lock.acquire();
    CompletableFuture<Void> foreignClose = CompletableFuture.runAsync(held::close);
    assertThatThrownBy(foreignClose::get).hasCauseInstanceOf(IllegalMonitorStateException.class);
    assertThat(held.isValid()).isTrue();

    held.close();
    held.close(); // a second close does nothing
    assertThat(held.isValid()).isFalse();
    assertThat(lock.isHeldByCurrentThread()).isFalse();
  }

  @Test
  void tryAcquireGivesUpAfterItsTimeoutAndSucceedsOnceTheLockIsFree() throws Exception {
    ProcessLock lock = ProcessLock.at(directory.resolve("timed.lock"));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        Thread.ofPlatform()
            .start(
                () -> {
                  lock.lock();
                  try {
                    held.countDown();
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    lock.unlock();
                  }
                });
    held.await();

    long start = System.nanoTime();
    assertThat(lock.tryAcquire(Duration.ofMillis(200))).isEmpty();
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(lock.tryLock()).isFalse();

    release.countDown();
    holder.join();
    Optional<ProcessLock.Held> acquired = lock.tryAcquire(Duration.ofSeconds(10));
    assertThat(acquired).isPresent();
    acquired.get().close();
  }

  @Test
  void anInterruptedThreadDoesNotAcquire() {
    ProcessLock lock = ProcessLock.at(directory.resolve("pre-interrupted.lock"));
    Thread.currentThread().interrupt();
    assertThatThrownBy(lock::acquire).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    assertThat(lock.isHeldByCurrentThread()).isFalse();
  }

  @Test
  void namedLocksLiveInTheCourseDirectoryAndRejectBadNames() throws Exception {
    ProcessLock lock = ProcessLock.named("process-lock-test.name");
    try {
      assertThat(lock.file().getFileName()).hasToString("process-lock-test.name.lock");
      assertThat(lock.file().getParent()).isEqualTo(toRealPath(ProcessLock.defaultDirectory()));
    } finally {
      // Only this test uses the name, so its file may go; a lock file in use must never.
      Files.delete(lock.file());
    }

    for (String bad : List.of("", "../escape", "a/b", ".hidden", "x".repeat(101), "名字")) {
      assertThatThrownBy(() -> ProcessLock.named(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lock name");
    }
  }

  @Test
  void hasNoConditions() {
    ProcessLock lock = ProcessLock.at(directory.resolve("c.lock"));
    assertThatThrownBy(lock::newCondition).isInstanceOf(UnsupportedOperationException.class);
  }

  private static boolean tryFromAnotherThread(ProcessLock lock)
      throws InterruptedException, ExecutionException {
    return CompletableFuture.supplyAsync(
            () -> {
              if (lock.tryLock()) {
                lock.unlock();
                return true;
              }
              return false;
            })
        .get();
  }

  private static Path toRealPath(Path path) {
    try {
      return path.toRealPath();
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
