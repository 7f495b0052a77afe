package io.github.concurrencycourse.common.tickets;

import io.github.concurrencycourse.common.launch.FileMutex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's {@code db.txt}: a JSON object whose {@code "count"} is the number of tickets left,
 * shared by every thread and process that opens the same file.
 *
 * <p><b>Format.</b> The file is what the seed's Python writes and reads ({@code {"count": 3}},
 * UTF-8, {@code json.load} reads ours and we read its). Other fields are allowed and kept as they
 * are. A file that is empty, truncated, not JSON, not a JSON object, or whose {@code "count"} is
 * missing or not a whole number {@code >= 0} is rejected with a {@link TicketStoreException} that
 * names the file and the problem; the store never writes over such a file.
 *
 * <p><b>Atomicity.</b> {@link #buy} reads the count, decrements it and writes it back as one atomic
 * step across all threads of all processes using the file, under a {@link FileMutex} on the sidecar
 * file {@code <name>.lock}: the lock that excludes both the threads of this JVM and the other
 * processes. The lock is on a sidecar because the data file is replaced on every write, and a lock
 * on a replaced file protects nothing; the sidecar is never deleted. Hence every ticket number is
 * sold at most once, and exactly {@code initialCount} purchases succeed however many buyers try. A
 * buyer that dies holding the lock loses it, and leaves the file as it was before its purchase or
 * after it (see below).
 *
 * <p><b>Crash safety.</b> A write goes to a temporary file in the same directory, is forced to
 * disk, is renamed over the data file atomically, and the directory is forced (where the platform
 * allows it). A process killed at any instant leaves either the old or the new content, both valid.
 * A temporary file left by a killed process is deleted by the next {@link #open} once its process
 * is gone. {@link #remaining()} therefore needs no lock: it always reads a committed state.
 *
 * <p><b>The unsafe mode.</b> {@link #buyWithoutLock} is the seed's {@code get()} without the mutex:
 * read, think, write, no lock. Buyers who think at the same time read the same count and oversell.
 * Its writes are still atomic renames, so the lesson shows lost updates and never a torn file.
 *
 * <p><b>Memory consistency.</b> A purchase that returned in any thread or process is seen by every
 * {@link #remaining()} and {@link #buy} that starts after it. Instances are immutable and
 * thread-safe; several instances, in one JVM or many, may share one file.
 */
public final class TicketStore {

  private static final Logger log = LoggerFactory.getLogger(TicketStore.class);

  private static final String COUNT = "count";

  /** Rejects trailing data, as Python's {@code json.load} does ("Extra data"). */
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final Path file;
  private final FileMutex mutex;
  private final Pause beforeRename;

  private TicketStore(Path file, FileMutex mutex, Pause beforeRename) {
    this.file = file;
    this.mutex = mutex;
    this.beforeRename = beforeRename;
  }

  /**
   * Opens the store in {@code file}, first creating it with {@code initialCount} tickets when it
   * does not exist, as the seed does. An existing file keeps its count; {@code initialCount} is
   * then ignored. The sidecar {@code <file>.lock} is created when absent.
   *
   * @param file the data file; its directory must exist
   * @param initialCount the count of a new file, {@code >= 0}
   * @throws TicketStoreException if the existing file is not a valid store (it is left untouched),
   *     or on an I/O error
   * @throws IllegalArgumentException if {@code initialCount} is negative
   * @throws InterruptedException if interrupted while waiting for the lock
   */
  public static TicketStore open(Path file, int initialCount) throws InterruptedException {
    return open(file, initialCount, Pause.NONE);
  }

  /** As {@link #open(Path, int)}, pausing every locked write between its fsync and its rename. */
  static TicketStore open(Path file, int initialCount, Pause beforeRename)
      throws InterruptedException {
    Objects.requireNonNull(file, "file");
    if (initialCount < 0) {
      throw new IllegalArgumentException("initial count must be >= 0, got " + initialCount);
    }
    Path absolute = file.toAbsolutePath().normalize();
    Path directory = absolute.getParent();
    if (directory == null || !Files.isDirectory(directory)) {
      throw new TicketStoreException(absolute, "its directory does not exist");
    }
    Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
    FileMutex mutex;
    try {
      mutex = FileMutex.at(lockFile);
    } catch (UncheckedIOException e) {
      throw new TicketStoreException(absolute, "cannot create lock file " + lockFile, e);
    }
    TicketStore store = new TicketStore(absolute, mutex, beforeRename);
    store.locked(
        () -> {
          store.deleteAbandonedTemporaryFiles();
          if (Files.exists(absolute)) {
            store.read();
          } else {
            ObjectNode content = JSON.createObjectNode();
            content.put(COUNT, initialCount);
            store.write(content);
          }
          return null;
        });
    return store;
  }

  /** The data file, absolute. */
  public Path file() {
    return file;
  }

  /**
   * The number of tickets left, as last committed by any buyer. Takes no lock: every write is an
   * atomic rename, so a read sees a whole committed state, never a write in progress.
   *
   * @throws TicketStoreException if the file is not a valid store, or on an I/O error
   */
  public int remaining() {
    try {
      return count(read());
    } catch (IOException e) {
      throw new TicketStoreException(file, "cannot read: " + e, e);
    }
  }

  /**
   * Buys one ticket for {@code buyer} if any is left, atomically across threads and processes.
   *
   * @throws TicketStoreException if the file is not a valid store (nothing is written), or on an
   *     I/O error (the file then holds the state before or after this purchase, never a mix)
   * @throws InterruptedException if interrupted while waiting for the lock; nothing was bought
   */
  public Purchase buy(String buyer) throws InterruptedException {
    return buy(buyer, Duration.ZERO);
  }

  /**
   * Buys one ticket as {@link #buy(String)} does, pausing for {@code think} between reading the
   * count and writing it back while holding the locks, as the seed's locked {@code get()} sleeps
   * before its {@code json.dump}. Other buyers wait meanwhile; the count stays exact.
   *
   * @throws IllegalArgumentException if {@code think} is negative
   * @throws TicketStoreException as {@link #buy(String)}
   * @throws InterruptedException if interrupted while waiting for the lock or thinking; nothing was
   *     bought
   */
  public Purchase buy(String buyer, Duration think) throws InterruptedException {
    Objects.requireNonNull(buyer, "buyer");
    Pause pause = Pause.sleeping(think);
    return locked(() -> readDecrementWrite(buyer, pause, beforeRename));
  }

  /**
   * <b>Unsafe:</b> the seed's {@code get()} without the mutex. Reads the count, thinks for {@code
   * think}, writes the count minus one, and takes no lock at all. Buyers thinking at the same time
   * read the same count, each "buys" the same ticket, and more tickets are sold than existed. Only
   * for the lesson that shows the oversell; use {@link #buy} everywhere else.
   *
   * <p>The write is still an atomic rename, so the file stays valid; only updates are lost.
   *
   * @throws IllegalArgumentException if {@code think} is negative
   * @throws TicketStoreException as {@link #buy(String)}
   * @throws InterruptedException if interrupted while thinking; nothing was written
   */
  public Purchase buyWithoutLock(String buyer, Duration think) throws InterruptedException {
    return buyWithoutLock(buyer, Pause.sleeping(think));
  }

  /** As {@link #buyWithoutLock(String, Duration)}, pausing at {@code think}. */
  Purchase buyWithoutLock(String buyer, Pause think) throws InterruptedException {
    Objects.requireNonNull(buyer, "buyer");
    try {
      return readDecrementWrite(buyer, think, Pause.NONE);
    } catch (ClosedByInterruptException e) {
      throw interrupted(e);
    } catch (IOException e) {
      throw new TicketStoreException(file, "cannot update: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "TicketStore[" + file + "]";
  }

  private Purchase readDecrementWrite(String buyer, Pause think, Pause beforeRename)
      throws IOException, InterruptedException {
    ObjectNode content = read();
    int count = count(content);
    if (count == 0) {
      return Purchase.soldOut(buyer);
    }
    think.pause();
    content.put(COUNT, count - 1);
    write(content, beforeRename);
    return Purchase.sold(buyer, count);
  }

  @FunctionalInterface
  private interface LockedAction<T> {
    T run() throws IOException, InterruptedException;
  }

  private <T> T locked(LockedAction<T> action) throws InterruptedException {
    try {
      mutex.lockInterruptibly();
    } catch (UncheckedIOException e) {
      throw new TicketStoreException(file, "cannot lock " + mutex.file() + ": " + e.getCause(), e);
    }
    try {
      return action.run();
    } catch (ClosedByInterruptException e) {
      throw interrupted(e);
    } catch (IOException e) {
      throw new TicketStoreException(file, "I/O error: " + e, e);
    } finally {
      mutex.unlock();
    }
  }

  /**
   * An interrupt during channel I/O closes the channel; report it as the interrupt it was, with the
   * interrupt status cleared as {@link InterruptedException} promises.
   */
  private static InterruptedException interrupted(ClosedByInterruptException cause) {
    Thread.interrupted();
    InterruptedException e = new InterruptedException("interrupted during file I/O");
    e.initCause(cause);
    return e;
  }

  private ObjectNode read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TicketStoreException(
          file, "does not exist (deleted after the store was opened?)", e);
    }
    ObjectNode content = parse(file, bytes);
    count(content);
    return content;
  }

  private static ObjectNode parse(Path file, byte[] bytes) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JacksonException e) {
      throw new TicketStoreException(
          file, "is not valid JSON, corrupt or truncated: " + e.getOriginalMessage(), e);
    }
    if (node.isMissingNode()) {
      throw new TicketStoreException(
          file, "is empty, expected a JSON object such as {\"count\": 3}");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new TicketStoreException(
          file,
          "holds a JSON "
              + node.getNodeType().name().toLowerCase(Locale.ROOT)
              + ", expected an object such as {\"count\": 3}");
    }
    return object;
  }

  private int count(ObjectNode content) {
    JsonNode count = content.get(COUNT);
    if (count == null) {
      throw new TicketStoreException(file, "has no \"count\" field");
    }
    if (!count.isIntegralNumber() || !count.canConvertToInt() || count.intValue() < 0) {
      throw new TicketStoreException(file, "\"count\" must be a whole number >= 0, found " + count);
    }
    return count.intValue();
  }

  private void write(ObjectNode content) throws IOException, InterruptedException {
    write(content, beforeRename);
  }

  private void write(ObjectNode content, Pause beforeRename)
      throws IOException, InterruptedException {
    byte[] bytes = JSON.writeValueAsBytes(content);
    Path temporary = createTemporaryFile();
    boolean renamed = false;
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      beforeRename.pause();
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      renamed = true;
    } finally {
      if (!renamed) {
        deleteQuietly(temporary);
      }
    }
    forceDirectory();
  }

  /**
   * A new, empty file named {@code <name>.<pid>.<random>.tmp} beside the data file. The pid tells
   * {@link #deleteAbandonedTemporaryFiles} whether its writer may still be alive.
   */
  private Path createTemporaryFile() throws IOException {
    while (true) {
      Path candidate =
          file.resolveSibling(
              file.getFileName()
                  + "."
                  + ProcessHandle.current().pid()
                  + "."
                  + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                  + ".tmp");
      try {
        return Files.createFile(candidate);
      } catch (FileAlreadyExistsException e) {
        log.debug("temporary file {} exists, picking another name", candidate);
      }
    }
  }

  /** Deletes the temporary files of writers that were killed before their rename. */
  private void deleteAbandonedTemporaryFiles() throws IOException {
    Pattern temporaryName =
        Pattern.compile(
            Pattern.quote(file.getFileName().toString()) + "\\.(\\d+)\\.[0-9a-f]+\\.tmp");
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.getParent())) {
      for (Path sibling : siblings) {
        Matcher matcher = temporaryName.matcher(sibling.getFileName().toString());
        if (matcher.matches() && isGone(Long.parseLong(matcher.group(1)))) {
          log.debug("deleting {}, left by a writer that is gone", sibling);
          deleteQuietly(sibling);
        }
      }
    }
  }

  private static boolean isGone(long pid) {
    return pid != ProcessHandle.current().pid()
        && ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("cannot delete temporary file {}", path, e);
    }
  }

  /**
   * Makes the rename itself durable. Nothing here may throw: the rename has committed the purchase.
   * Some platforms cannot open a directory and say so; an interrupt closes the channel and stays
   * set for the caller to see.
   */
  private void forceDirectory() {
    Path directory = file.getParent();
    FileChannel channel;
    try {
      channel = FileChannel.open(directory, StandardOpenOption.READ);
    } catch (IOException e) {
      log.debug("cannot open directory {} to force it; the platform refuses", directory, e);
      return;
    }
    try (channel) {
      channel.force(true);
    } catch (IOException e) {
      log.warn(
          "cannot force directory {}; the rename is visible but may not survive a power cut",
          directory,
          e);
    }
  }
}
