package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.processes.ProcessLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A start line for child JVMs, so that a race between them happens on every run rather than only
 * when their JVMs happen to finish starting together (which, at a few hundred milliseconds each,
 * they rarely do).
 *
 * <p>The parent holds a {@link ProcessLock} on the gate file while it starts the children. Each
 * child, once it has loaded what it needs, {@linkplain #pass says it is ready} and then takes and
 * drops that lock, which blocks it until the parent {@linkplain #openWhenReady opens the gate}. The
 * children then pass within microseconds of each other. Not thread-safe: the parent opens and
 * closes it from one thread.
 */
final class StartGate implements AutoCloseable {

  private static final String READY = "is at the start gate" + LessonChildren.QUIET_MARK;

  private final ProcessLock.Held closed;

  private StartGate(ProcessLock.Held closed) {
    this.closed = closed;
  }

  /** A closed gate on {@code file}, to be passed to the children. */
  static StartGate closed(Path file) throws InterruptedException {
    return new StartGate(ProcessLock.at(file).acquire());
  }

  /**
   * Opens the gate once {@code parties} children have said they are ready.
   *
   * @throws TimeoutException if they are not all ready within {@code timeout}
   * @throws IllegalStateException if a child exited before it was ready
   */
  void openWhenReady(LessonChildren children, int parties, Duration timeout)
      throws InterruptedException, TimeoutException {
    children.awaitLines(line -> line.endsWith(READY), parties, timeout, children.started());
    closed.close();
  }

  /** Opens the gate if it is still closed. */
  @Override
  public void close() {
    closed.close();
  }

  /**
   * In a child: says it is ready, then waits until the parent opens the gate on {@code file}.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  static void pass(Path file, String childName) throws InterruptedException {
    ProcessLock gate = ProcessLock.at(file);
    // A child's standard output is its line to the parent. Printed before blocking: if the parent
    // opens the gate in between, this child just walks on.
    System.out.println(childName + " " + READY);
    gate.lockInterruptibly();
    gate.unlock();
  }
}
