package io.github.concurrencycourse.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p><b>How.</b> Two locks, taken in this order and released in the reverse: a {@link
 * ReentrantLock} per lock file inside this JVM, shared by every {@code ProcessLock} of this JVM on
 * that file (found by its real path), then an exclusive {@link FileLock} on the file. The JVM lock
 * is needed because a {@code FileLock} belongs to the whole JVM, not to a thread: a second thread
 * asking the operating system for it would get an {@link OverlappingFileLockException} instead of
 * waiting. The lock file is created when missing and never deleted, since deleting a lock file
 * races with the next process that opens it.
 *
 * <p><b>Guarantees.</b>
 *
 * <ul>
 *   <li>At most one thread, of all the processes that lock this file through a {@code ProcessLock},
 *       holds it at a time. The lock is advisory: it binds only code that takes it.
 *   <li>The lock is reentrant, like {@link ReentrantLock}: its holder may take it again and must
 *       release it as often as it took it; the file lock is held from the first acquisition to the
 *       last release. Only the holder may release it ({@link IllegalMonitorStateException}
 *       otherwise).
 *   <li>A process that dies holding the lock, even by SIGKILL, loses it: the operating system
 *       releases file locks when their process ends, so a crashed holder never blocks the others.
 *   <li>Every way of waiting except {@link #lock()} can be interrupted, with nothing acquired;
 *       {@link #tryLock(long, TimeUnit)} and {@link #tryAcquire(Duration)} wait no longer than
 *       asked, plus at most 10 ms: the file lock cannot wait with a timeout, so they check it again
 *       and again, pausing up to 10 ms between checks.
 *   <li>Not fair: which waiting process gets the lock next is up to the operating system.
 * </ul>
 *
 * <p><b>Memory consistency.</b> Within a JVM, actions before a release happen-before the next
 * acquisition, as with {@code ReentrantLock}. Across processes, what the holder wrote to files
 * through the operating system before releasing is seen by the next holder.
 *
 * <p>{@link #newCondition()} is not supported. Instances are immutable and thread-safe; two
 * instances on one file are one lock.
 */
public final class ProcessLock implements Lock {

  private static final Logger log = LoggerFactory.getLogger(ProcessLock.class);

  /** The longest pause between two checks of the file lock while a timed attempt waits. */
  static final long MAX_POLL_MILLIS = 10;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** The in-JVM half of each lock, by the lock file's real path. */
  private static final ConcurrentMap<Path, FileMutex> BY_FILE = new ConcurrentHashMap<>();

  private final Path file;
  private final FileMutex mutex;

  private ProcessLock(Path file, FileMutex mutex) {
    this.file = file;
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
    Objects.requireNonNull(file, "file");
    Path realPath;
    try {
      // The file must exist before its real path can name the in-JVM lock.
      FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
      realPath = file.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the lock file " + file, e);
    }
    return new ProcessLock(realPath, BY_FILE.computeIfAbsent(realPath, path -> new FileMutex()));
  }

  /** The directory of {@link #named} locks: {@code <java.io.tmpdir>/concurrency-course-locks}. */
  public static Path defaultDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "concurrency-course-locks");
  }

  /** The lock file, by its real path. */
  public Path file() {
    return file;
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
    boolean interrupted = false;
    while (true) {
      try {
        lockInterruptibly();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Acquires the lock, waiting as long as it takes.
   *
   * @throws InterruptedException if interrupted before or while waiting; nothing is then held
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  @Override
  public void lockInterruptibly() throws InterruptedException {
    mutex.threads.lockInterruptibly();
    // Blocking, the file lock is taken or an exception says why not.
    lockFileOnFirstHold(() -> mutex.lockFile(file, Long.MAX_VALUE, true));
  }

  /**
   * Acquires the lock only if no thread of any process holds it now.
   *
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  @Override
  public boolean tryLock() {
    if (!mutex.threads.tryLock()) {
      return false;
    }
    return lockFileOnFirstHold(() -> mutex.tryLockFileOnce(file));
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
    long deadline = System.nanoTime() + Math.max(0, unit.toNanos(time));
    if (!mutex.threads.tryLock(time, unit)) {
      return false;
    }
    return lockFileOnFirstHold(() -> mutex.lockFile(file, deadline, false));
  }

  /**
   * The second step of every acquire, taken by a thread that has just acquired the in-JVM lock: its
   * first hold also takes the file lock, through {@code lockFile}; a reentrant hold has it already.
   * If the file lock is not taken, because {@code lockFile} returns false or throws, the in-JVM
   * hold is given back, so a failed acquire holds nothing.
   *
   * @return whether the lock is now held
   * @throws X whatever {@code lockFile} throws
   */
  private <X extends Exception> boolean lockFileOnFirstHold(FileLockAttempt<X> lockFile) throws X {
    if (mutex.threads.getHoldCount() > 1) {
      return true;
    }
    boolean locked = false;
    try {
      locked = lockFile.take();
      return locked;
    } finally {
      if (!locked) {
        mutex.threads.unlock();
      }
    }
  }

  /** One way to take the file lock: blocking, polling until a deadline, or trying once. */
  @FunctionalInterface
  private interface FileLockAttempt<X extends Exception> {
    /** Returns whether the file lock is now held. */
    boolean take() throws X;
  }

  /**
   * Releases one hold of the lock; the last release frees it for every thread and process.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   */
  @Override
  public void unlock() {
    if (!mutex.threads.isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException(
          "the current thread does not hold the process lock " + file);
    }
    try {
      if (mutex.threads.getHoldCount() == 1) {
        mutex.unlockFile(file);
      }
    } finally {
      mutex.threads.unlock();
    }
  }

  /** Whether the current thread holds this lock. */
  public boolean isHeldByCurrentThread() {
    return mutex.threads.isHeldByCurrentThread();
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
        + file
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

  /**
   * The state of one lock file in this JVM. The file channel and its lock are touched only by the
   * thread holding {@link #threads}, whose acquisition and release order those accesses.
   */
  private static final class FileMutex {

    private final ReentrantLock threads = new ReentrantLock();

    private FileChannel channel;
    private FileLock fileLock;

    /**
     * Takes the file lock: waits as long as it takes when {@code blocking}, else polls it until
     * {@code deadline} ({@link System#nanoTime()}).
     *
     * @return whether the file lock is now held
     */
    boolean lockFile(Path file, long deadline, boolean blocking) throws InterruptedException {
      FileChannel opened = open(file);
      FileLock acquired = null;
      try {
        if (blocking) {
          acquired = opened.lock();
        } else {
          long pauseMillis = 1;
          while ((acquired = opened.tryLock()) == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              return false;
            }
            Thread.sleep(Math.min(pauseMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            pauseMillis = Math.min(MAX_POLL_MILLIS, pauseMillis * 2);
          }
        }
        channel = opened;
        fileLock = acquired;
        return true;
      } catch (ClosedByInterruptException | FileLockInterruptionException e) {
        // An interrupt while waiting closes the channel; report it as the interrupt it was, with
        // the status cleared as InterruptedException promises.
        Thread.interrupted();
        InterruptedException interrupted =
            new InterruptedException("interrupted while waiting for the process lock " + file);
        interrupted.initCause(e);
        throw interrupted;
      } catch (OverlappingFileLockException e) {
        throw overlapping(file, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + file, e);
      } finally {
        if (acquired == null) {
          closeQuietly(opened, file);
        }
      }
    }

    boolean tryLockFileOnce(Path file) {
      FileChannel opened = open(file);
      FileLock acquired = null;
      try {
        acquired = opened.tryLock();
        if (acquired != null) {
          channel = opened;
          fileLock = acquired;
        }
        return acquired != null;
      } catch (OverlappingFileLockException e) {
        throw overlapping(file, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + file, e);
      } finally {
        if (acquired == null) {
          closeQuietly(opened, file);
        }
      }
    }

    void unlockFile(Path file) {
      try {
        fileLock.release();
      } catch (IOException e) {
        // Closing the channel below releases the lock as well.
        log.warn("cannot release the file lock on {}; closing its channel instead", file, e);
      } finally {
        closeQuietly(channel, file);
        fileLock = null;
        channel = null;
      }
    }

    private static FileChannel open(Path file) {
      try {
        // CREATE: a lock file removed while nobody used it (a temp-directory cleaner) comes back.
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the lock file " + file, e);
      }
    }

    private static IllegalStateException overlapping(Path file, OverlappingFileLockException e) {
      return new IllegalStateException(
          "this JVM already holds a file lock on "
              + file
              + " outside this ProcessLock (a FileLock of its own, or a hard link to the file)",
          e);
    }

    private static void closeQuietly(FileChannel channel, Path file) {
      try {
        channel.close();
      } catch (IOException e) {
        log.warn("cannot close the lock file {}", file, e);
      }
    }
  }
}
