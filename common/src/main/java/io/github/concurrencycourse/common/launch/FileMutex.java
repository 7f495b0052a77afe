package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mutual-exclusion lock on a file, shared by every thread of every process on the machine that
 * locks the same file through a {@code FileMutex}: the one cross-process lock of the course, on
 * which {@code TicketStore} and {@code ProcessLock} are built.
 *
 * <pre>{@code
 * FileMutex mutex = FileMutex.at(Path.of("db.txt.lock"));
 * mutex.lockInterruptibly();
 * try {
 *   // at most one thread of one process is here at a time
 * } finally {
 *   mutex.unlock();
 * }
 * }</pre>
 *
 * <p><b>How.</b> Two locks, taken in this order and released in the reverse: a {@link
 * ReentrantLock} per file inside this JVM, shared by every {@code FileMutex} of this JVM on that
 * file (found by its real path), then an exclusive {@link FileLock} on the file, held by the JVM.
 * The first is needed because a {@code FileLock} belongs to the whole JVM, not to a thread: a
 * second thread asking the operating system for it would get an {@link
 * OverlappingFileLockException} instead of waiting. The file is created, empty, when missing, and
 * never deleted: deleting a lock file races with the next process that opens it, and a new file at
 * the same path is a new lock.
 *
 * <p><b>Guarantees.</b>
 *
 * <ul>
 *   <li>At most one thread, of all the processes that lock this file through a {@code FileMutex},
 *       holds it at a time. The lock is advisory: it binds only code that takes it.
 *   <li><b>Reentrant</b>, like {@link ReentrantLock}: its holder may take it again and must release
 *       it as often as it took it; the file lock is held from the first acquisition to the last
 *       release. Only the holder may release it ({@link IllegalMonitorStateException} otherwise).
 *   <li><b>A holder that dies loses it.</b> The operating system releases a process's file locks
 *       when it ends, even by SIGKILL, so a crashed holder never blocks the others. Whatever the
 *       holder was changing under the lock may then be half done: the next holder must find the
 *       protected state valid (TicketStore writes by atomic rename for that reason).
 *   <li><b>Interruptible.</b> Every way of waiting except {@link #lock()} can be interrupted, with
 *       nothing acquired. {@link #tryLock(long, TimeUnit)} waits no longer than asked, plus at most
 *       {@value #MAX_POLL_MILLIS} ms: the file lock cannot wait with a timeout, so it is tried
 *       again and again, with pauses of up to that long.
 *   <li>Not fair: which waiting process gets the lock next is up to the operating system.
 * </ul>
 *
 * <p><b>Errors.</b> A file that cannot be created, opened or locked is an {@link
 * UncheckedIOException} naming it, and leaves the lock as it was: a failed acquisition holds
 * nothing. A {@code FileLock} on the file that this JVM took outside {@code FileMutex} (or through
 * a hard link to it) is an {@link IllegalStateException}: the two would not exclude each other.
 *
 * <p><b>Memory consistency.</b> Within a JVM, actions before a release happen-before the next
 * acquisition, as with {@code ReentrantLock}. Across processes, what the holder wrote to files
 * through the operating system before releasing is seen by the next holder.
 *
 * <p>{@link #newCondition()} is not supported. Instances are immutable and thread-safe; two
 * instances on one file are one lock.
 */
public final class FileMutex implements Lock {

  private static final Logger log = LoggerFactory.getLogger(FileMutex.class);

  /** The longest pause between two tries of the file lock while a timed attempt waits. */
  public static final long MAX_POLL_MILLIS = 10;

  /** The in-JVM half of each lock, by the file's real path. */
  private static final ConcurrentMap<Path, Shared> BY_FILE = new ConcurrentHashMap<>();

  private final Path file;
  private final Shared shared;

  private FileMutex(Path file, Shared shared) {
    this.file = file;
    this.shared = shared;
  }

  /**
   * The mutex on {@code file}, which is created (empty) when missing; its directory must exist. Two
   * paths that lead to the same file (relative and absolute, or through a symbolic link) give the
   * same lock; two hard links to one file do too across processes, but not between threads of one
   * JVM, so do not mix them.
   *
   * @throws UncheckedIOException if the file cannot be created or opened, for example because its
   *     directory does not exist
   */
  public static FileMutex at(Path file) {
    Objects.requireNonNull(file, "file");
    Path realPath;
    try {
      // The file must exist before its real path can name the in-JVM lock.
      FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
      realPath = file.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the lock file " + file, e);
    }
    return new FileMutex(realPath, BY_FILE.computeIfAbsent(realPath, path -> new Shared()));
  }

  /** The lock file, by its real path. */
  public Path file() {
    return file;
  }

  /**
   * Acquires the lock, waiting as long as it takes and ignoring interrupts while it waits; an
   * interrupt received meanwhile is restored before it returns. Prefer {@link
   * #lockInterruptibly()}.
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
    shared.threads.lockInterruptibly();
    // Blocking, the file lock is taken or an exception says why not.
    lockFileOnFirstHold(() -> shared.lockFile(file, Long.MAX_VALUE, true));
  }

  /**
   * Acquires the lock only if no thread of any process holds it now.
   *
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  @Override
  public boolean tryLock() {
    if (!shared.threads.tryLock()) {
      return false;
    }
    return lockFileOnFirstHold(() -> shared.tryLockFileOnce(file));
  }

  /**
   * Acquires the lock if it becomes free within the given time; a zero or negative time tries once.
   *
   * @return whether the lock is now held
   * @throws InterruptedException if interrupted before or while waiting; nothing is then held
   * @throws UncheckedIOException if the lock file cannot be opened or locked
   */
  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(0, unit.toNanos(time));
    if (!shared.threads.tryLock(time, unit)) {
      return false;
    }
    return lockFileOnFirstHold(() -> shared.lockFile(file, deadline, false));
  }

  /**
   * Releases one hold of the lock; the last release frees it for every thread and process.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   */
  @Override
  public void unlock() {
    if (!shared.threads.isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException(
          "the current thread does not hold the file mutex " + file);
    }
    try {
      if (shared.threads.getHoldCount() == 1) {
        shared.unlockFile(file);
      }
    } finally {
      shared.threads.unlock();
    }
  }

  /** Whether the current thread holds this lock. */
  public boolean isHeldByCurrentThread() {
    return shared.threads.isHeldByCurrentThread();
  }

  /**
   * Not supported: a condition would have to wake threads of other processes.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException("a FileMutex has no conditions");
  }

  @Override
  public String toString() {
    return "FileMutex[" + file + (isHeldByCurrentThread() ? ", held by the current thread]" : "]");
  }

  /**
   * The second step of every acquisition, taken by a thread that has just acquired the in-JVM lock:
   * its first hold also takes the file lock, through {@code lockFile}; a reentrant hold has it
   * already. If the file lock is not taken, because {@code lockFile} returns false or throws, the
   * in-JVM hold is given back, so a failed acquisition holds nothing.
   *
   * @return whether the lock is now held
   * @throws X whatever {@code lockFile} throws
   */
  private <X extends Exception> boolean lockFileOnFirstHold(FileLockAttempt<X> lockFile) throws X {
    if (shared.threads.getHoldCount() > 1) {
      return true;
    }
    boolean locked = false;
    try {
      locked = lockFile.take();
      return locked;
    } finally {
      if (!locked) {
        shared.threads.unlock();
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
   * The state of one lock file in this JVM. The file channel and its lock are touched only by the
   * thread holding {@link #threads}, whose acquisition and release order those accesses.
   */
  private static final class Shared {

    private final ReentrantLock threads = new ReentrantLock();

    private FileChannel channel;
    private FileLock fileLock;

    /**
     * Takes the file lock: waits as long as it takes when {@code blocking}, else tries it until
     * {@code deadline} ({@link System#nanoTime()}).
     *
     * @return whether the file lock is now held
     */
    boolean lockFile(Path file, long deadline, boolean blocking) throws InterruptedException {
      return take(file, blocking ? FileChannel::lock : opened -> poll(opened, deadline));
    }

    /**
     * Takes the file lock if no process holds it now. An interrupt that closes the lock file's
     * channel meanwhile counts as not getting it, and stays set.
     */
    boolean tryLockFileOnce(Path file) {
      try {
        return take(file, FileChannel::tryLock);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** Tries the file lock until it is free or {@code deadline} has passed, pausing in between. */
    private static FileLock poll(FileChannel channel, long deadline)
        throws IOException, InterruptedException {
      long pauseMillis = 1;
      FileLock acquired;
      while ((acquired = channel.tryLock()) == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        Thread.sleep(Math.min(pauseMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        pauseMillis = Math.min(MAX_POLL_MILLIS, pauseMillis * 2);
      }
      return acquired;
    }

    /** One way of taking the file lock; {@code null} when it was not taken. */
    @FunctionalInterface
    private interface Taking {
      FileLock take(FileChannel channel) throws IOException, InterruptedException;
    }

    /**
     * Opens the lock file and takes its lock through {@code taking}; keeps both when it was taken,
     * closes the channel when not.
     *
     * @return whether the file lock is now held
     */
    private boolean take(Path file, Taking taking) throws InterruptedException {
      FileChannel opened = open(file);
      FileLock acquired = null;
      try {
        acquired = taking.take(opened);
        if (acquired != null) {
          channel = opened;
          fileLock = acquired;
        }
        return acquired != null;
      } catch (ClosedByInterruptException | FileLockInterruptionException e) {
        // An interrupt while waiting closes the channel; report it as the interrupt it was, with
        // the status cleared as InterruptedException promises.
        Thread.interrupted();
        InterruptedException interrupted =
            new InterruptedException("interrupted while waiting for the file mutex " + file);
        interrupted.initCause(e);
        throw interrupted;
      } catch (OverlappingFileLockException e) {
        throw new IllegalStateException(
            "this JVM already holds a file lock on "
                + file
                + " outside FileMutex (a FileLock of its own, or a hard link to the file)",
            e);
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

    private static void closeQuietly(FileChannel channel, Path file) {
      try {
        channel.close();
      } catch (IOException e) {
        log.warn("cannot close the lock file {}", file, e);
      }
    }
  }
}
