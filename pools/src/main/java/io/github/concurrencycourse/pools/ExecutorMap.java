package io.github.concurrencycourse.pools;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Python's {@code Executor.map(fn, iterable)} with a bound: applies a function to every input on an
 * {@link Executor} and hands out the results lazily, in input order, while at most {@code
 * maxInFlight} tasks are in flight.
 *
 * <p>A task is <em>in flight</em> from its submission until its result is handed out by {@link
 * #next()}, so the bound covers both running tasks and finished results not yet read. {@link
 * #map(Executor, Function, Iterable, int) map} submits the first {@code maxInFlight} inputs at
 * once; after that, each result handed out lets one more input be read and submitted. A huge or
 * endless input is therefore read only as fast as its results are consumed (Python's {@code map}
 * submits every input before returning the first result). The inputs' iterator is only ever used by
 * the thread that calls {@code map}, {@code hasNext} and {@code next}.
 *
 * <p>{@link #next()} waits for the next result in input order. If that task threw, {@code next()}
 * throws {@link CompletionException} with the task's exception as its cause, at that position,
 * after every earlier result has been handed out; as with Python's generator, the map is then
 * closed. If the waiting thread is interrupted, {@code next()} closes the map and throws {@link
 * CancellationException} whose cause is the {@link InterruptedException}, with the thread's
 * interrupt status set again. An exception thrown by the inputs' iterator or by the executor (such
 * as {@link RejectedExecutionException}) also closes the map and is rethrown from the call that met
 * it.
 *
 * <p>{@link #close()} cancels every task in flight, interrupting those that run, and submits
 * nothing more; it does not wait for them to stop. A map that is abandoned without {@code close()}
 * runs at most {@code maxInFlight} more tasks and submits nothing more. {@link #stream()} closes
 * the map when the stream is closed.
 *
 * <p>Not thread-safe: like any {@link Iterator}, use an {@code ExecutorMap} from one thread. Memory
 * consistency effects: actions in a task <i>happen-before</i> the return of the {@code next()} that
 * hands out its result (through {@link FutureTask#get()}).
 *
 * @param <R> the type of the results
 */
public final class ExecutorMap<R> implements Iterator<R>, AutoCloseable {

  private final Executor executor;

  /** One task per input, made only when the input is read. */
  private final Iterator<Callable<R>> tasks;

  private final int maxInFlight;
  private final ArrayDeque<FutureTask<R>> inFlight;
  private boolean closed;

  private ExecutorMap(Executor executor, Iterator<Callable<R>> tasks, int maxInFlight) {
    this.executor = executor;
    this.tasks = tasks;
    this.maxInFlight = maxInFlight;
    this.inFlight = new ArrayDeque<>(Math.min(maxInFlight, 1024));
  }

  /**
   * Starts applying {@code function} to each of {@code inputs} on {@code executor}, with at most
   * {@code maxInFlight} tasks in flight, and returns the results in input order.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code maxInFlight} is less than 1
   * @throws RejectedExecutionException if the executor refuses one of the first tasks
   */
  public static <T, R> ExecutorMap<R> map(
      Executor executor,
      Function<? super T, ? extends R> function,
      Iterable<? extends T> inputs,
      int maxInFlight) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(inputs, "inputs");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    Iterator<? extends T> source = inputs.iterator();
    Iterator<Callable<R>> tasks =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return source.hasNext();
          }

          @Override
          public Callable<R> next() {
            T input = source.next();
            return () -> function.apply(input);
          }
        };
    ExecutorMap<R> map = new ExecutorMap<>(executor, tasks, maxInFlight);
    map.fill();
    return map;
  }

  /**
   * Whether another result (or a task's exception) is to come. May read and submit more inputs;
   * returns {@code false} once the map is closed.
   */
  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    fill();
    return !inFlight.isEmpty();
  }

  /**
   * Waits for the next result in input order and returns it.
   *
   * @throws NoSuchElementException if there is none
   * @throws CompletionException if the task threw; its exception is the cause
   * @throws CancellationException if the thread was interrupted while waiting (the cause), or the
   *     task was cancelled by someone else
   */
  @Override
  public R next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more results");
    }
    FutureTask<R> head = inFlight.peekFirst();
    R result;
    try {
      result = head.get();
    } catch (ExecutionException e) {
      close();
      throw new CompletionException(e.getCause());
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      CancellationException abandoned =
          new CancellationException("interrupted while waiting for a result; the map is closed");
      abandoned.initCause(e);
      throw abandoned;
    } catch (CancellationException e) {
      close();
      throw e;
    }
    inFlight.pollFirst();
    fill();
    return result;
  }

  /**
   * Returns the remaining results as a sequential, ordered stream; closing the stream closes this
   * map.
   */
  public Stream<R> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
        .onClose(this::close);
  }

  /** The number of tasks submitted whose results have not been handed out yet. */
  public int inFlight() {
    return inFlight.size();
  }

  /**
   * Cancels every task in flight (interrupting those running) and submits nothing more. Idempotent;
   * does not wait for the cancelled tasks to stop.
   */
  @Override
  public void close() {
    closed = true;
    FutureTask<R> task;
    while ((task = inFlight.pollFirst()) != null) {
      task.cancel(true);
    }
  }

  /** Submits tasks until {@code maxInFlight} are in flight or the inputs run out. */
  private void fill() {
    try {
      while (!closed && inFlight.size() < maxInFlight && tasks.hasNext()) {
        FutureTask<R> task = new FutureTask<>(tasks.next());
        inFlight.addLast(task);
        executor.execute(task);
      }
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }
}
