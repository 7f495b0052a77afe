package io.github.concurrencycourse.pools;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The future of a {@link ProcessPool} task: a {@link CompletableFuture} that tells the worker
 * holding the task when it is cancelled, so that the worker can be killed.
 */
final class TaskFuture<R> extends CompletableFuture<R> {

  private final AtomicReference<Runnable> onCancel = new AtomicReference<>();

  /**
   * Runs {@code hook} when this future is cancelled from now on; replaces any earlier hook. A
   * cancel that happened before is not replayed: check {@link #isCancelled()} after setting it.
   */
  void onCancel(Runnable hook) {
    onCancel.set(hook);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    Runnable hook = onCancel.get();
    if (cancelled && hook != null) {
      hook.run();
    }
    return cancelled;
  }
}
