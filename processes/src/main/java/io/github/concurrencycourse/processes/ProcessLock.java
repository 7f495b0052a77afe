package io.github.concurrencycourse.processes;

import io.github.concurrencycourse.common.launch.FileMutex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/**
 * A mutual-exclusion lock shared by every thread of every JVM on the machine that uses the same
 * lock file: the Java counterpart of the seed's {@code multiprocessing.Lock}, which Python passes
 * to each child, whereas here any process finds the lock by its name.
 *
 * <pre>{@code
 * ProcessLock mutex = ProcessLock.named("tickets");   // <java.io.tmpdir>/concurrency-course-locks/tickets.lock
 * try (ProcessLock.Held held = mutex.acquire()) {
 *   // at most one thread of one process is here at a time
 * }
 * }</pre>
 *
 * <p>The lock itself is a {@link FileMutex} on the lock file, and has its guarantees: at most one
 * thread of all the processes that lock the file holds it; reentrant, released only by its holder;
 * lost by a holder that dies, even by SIGKILL; every wait but {@link #lock()} interruptible, and a
 * timed one no longer than asked plus at most {@value FileMutex#MAX_POLL_MILLIS} ms; not fair;
 * within a JVM, a release happens-before the next acquisition. This class adds what the lessons
 * use: locks found by {@linkplain #named name}, and {@link #acquire()} handles for
 * try-with-resources, the Java form of Python's {@code with mutex:}.
 *
 * <p>{@link #newCondition()} is not supported. Instances are immutable and thread-safe; two
 * instances on one file are one lock.
 */
public final class ProcessLock implements Lock {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final FileMutex mutex;

  private ProcessLock(FileMutex mutex) {
    this.mutex = mutex;
  }

  /**
   * The lock called {@code name}: the file {@code <name>.lock} in {@link #defaultDirectory()},
   * which is created when missing. Every JVM of this user on this machine that asks for the same
   * name gets the same lock.
   *
   * @param name one to a hundred letters, digits, dots, hyphens or underscores, starting with a
   *     letter or digit
   * @throws IllegalArgumentException if {@code name} is not such a name
   * @throws UncheckedIOException if the directory or the lock file cannot be created
   */
  public static ProcessLock named(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a lock name is 1 to 100 letters, digits, '.', '-' or '_', starting with a letter or"
              + " digit; got '"
              + name
              + "'");
    }
    Path directory = defaultDirectory();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the lock directory " + directory, e);
    }
    return at(directory.resolve(name + ".lock"));
  }

  /**
   * The lock on {@code file}, which is created (empty) when missing; its directory must exist. Two
   * paths that lead to the same file (relative and absolute, or through a symbolic link) give the
   * same lock; two hard links to one file do too across processes, but not between threads of one
   * JVM, so do not mix them.
   *
   * @throws UncheckedIOException if the file cannot be created or opened, for example because its
   *     directory does not exist
   */
  public static ProcessLock at(Path file) {
    return new ProcessLock(FileMutex.at(file));
  }

  /** The directory of {@link #named} locks: {@code <java.io.tmpdir>/concurrency-course-locks}. */
  public static Path defaultDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "concurrency-course-locks");
  }

  /** The lock file, by its real path. */
  public Path file() {
    return mutex.file();
  }

  /**
   * Acquires the lock, waiting as long as it takes, and returns a handle whose {@link Held#close()}
   * releases it, for try-with-resources.
   *
   * @throws InterruptedException if interrupted before or while waiting; nothing is then held
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  public Held acquire() throws InterruptedException {
    lockInterruptibly();
    return new Held();
  }

  /**
   * Acquires the lock if it becomes free within {@code timeout}, returning a handle whose {@link
   * Held#close()} releases it; empty if the time ran out first. A zero or negative timeout tries
   * once.
   *
   * @throws InterruptedException if interrupted before or while waiting; nothing is then held
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  public Optional<Held> tryAcquire(Duration timeout) throws InterruptedException {
    return tryLock(saturatedNanos(timeout), TimeUnit.NANOSECONDS)
        ? Optional.of(new Held())
        : Optional.empty();
  }

  /**
   * Acquires the lock, waiting as long as it takes and ignoring interrupts while it waits; an
   * interrupt received meanwhile is restored before it returns. Prefer {@link #acquire()}.
   *
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  @Override
  public void lock() {
    mutex.lock();
  }

  /**
   * Acquires the lock, waiting as long as it takes.
   *
   * @throws InterruptedException if interrupted before or while waiting; nothing is then held
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  @Override
  public void lockInterruptibly() throws InterruptedException {
    mutex.lockInterruptibly();
  }

  /**
   * Acquires the lock only if no thread of any process holds it now.
   *
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  @Override
  public boolean tryLock() {
    return mutex.tryLock();
  }

  /**
   * Acquires the lock if it becomes free within the given time.
   *
   * @return whether the lock is now held
   * @throws InterruptedException if interrupted before or while waiting; nothing is then held
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return mutex.tryLock(time, unit);
  }

  /**
   * Releases one hold of the lock; the last release frees it for every thread and process.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   */
  @Override
  public void unlock() {
    mutex.unlock();
  }

  /** Whether the current thread holds this lock. */
  public boolean isHeldByCurrentThread() {
    return mutex.isHeldByCurrentThread();
  }

  /**
   * Not supported: a condition would have to wake threads of other processes.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException("a ProcessLock has no conditions");
  }

  @Override
  public String toString() {
    return "ProcessLock["
        + file()
        + (isHeldByCurrentThread() ? ", held by the current thread]" : "]");
  }

  private static long saturatedNanos(Duration timeout) {
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return timeout.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }

  /**
   * One hold of a {@link ProcessLock}, released by {@link #close()}. Belongs to the thread that
   * acquired it; close it in that thread.
   */
  public final class Held implements AutoCloseable {

    // Written and read only by the owning thread.
    private boolean released;

    private Held() {}

    /** The lock this is a hold of. */
    public ProcessLock lock() {
      return ProcessLock.this;
    }

    /** Whether this hold has not been released yet. */
    public boolean isValid() {
      return !released;
    }

    /**
     * Releases this hold; a second call does nothing.
     *
     * @throws IllegalMonitorStateException if called by a thread that does not hold the lock
     */
    @Override
    public void close() {
      if (!released) {
        unlock();
        released = true;
      }
    }
  }
}
