package io.github.concurrencycourse.common.launch;

/**
 * A worker started with {@link WorkerLauncher#startConnected}: its process, and the parent's end of
 * the {@link MessageChannel} to it, already connected. The child's end is {@link
 * MessageChannel#toParent}.
 *
 * @param process the worker's child JVM
 * @param channel this end of the channel; sends {@code O}, receives {@code I}
 * @param <O> the type of the messages the parent sends
 * @param <I> the type of the messages the parent receives
 */
public record ConnectedWorker<O, I>(WorkerProcess process, MessageChannel<O, I> channel)
    implements AutoCloseable {

  /**
   * Closes the channel, which the worker sees as its end of stream, then {@linkplain
   * WorkerProcess#close() closes the process}: kills it if it still runs and waits for it to exit.
   * To let a worker finish on its own, close the channel and {@linkplain
   * WorkerProcess#join(java.time.Duration) join} the process first. Idempotent.
   */
  @Override
  public void close() {
    channel.close();
    process.close();
  }
}
