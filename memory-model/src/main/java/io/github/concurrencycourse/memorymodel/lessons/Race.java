package io.github.concurrencycourse.memorymodel.lessons;

import io.github.concurrencycourse.common.lesson.LessonThreads;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * jcstress in miniature, for lessons that show an outcome as it happens: two actors run against
 * many fresh states, both walking the same array of states at the same time, and the outcome of
 * every state is counted.
 *
 * <p>The states come in batches. Both actors wait at a barrier, then spin until both are there, so
 * that they start a batch together; the first walks the batch forwards and the second backwards, so
 * that whatever head start one of them got, they meet in the middle and touch the same states at
 * the same moment. The outcomes are read after both have finished the batch (the barrier orders
 * their writes before the read). Races show only while the actors overlap, so a busy machine that
 * runs them one after the other shows fewer of them; the jcstress tests are the real proof.
 *
 * @param <S> the type of the state the actors share
 */
final class Race<S> {

  /**
   * States per batch: each batch is one meeting of the actors, so more, smaller batches meet more
   * often, at the cost of a barrier each.
   */
  static final int BATCH = 1_024;

  private final Supplier<S> freshState;
  private final Consumer<S> actor1;
  private final Consumer<S> actor2;

  private Race(Supplier<S> freshState, Consumer<S> actor1, Consumer<S> actor2) {
    this.freshState = Objects.requireNonNull(freshState, "freshState");
    this.actor1 = Objects.requireNonNull(actor1, "actor1");
    this.actor2 = Objects.requireNonNull(actor2, "actor2");
  }

  /** A race of {@code actor1} against {@code actor2} on states made by {@code freshState}. */
  static <S> Race<S> between(Supplier<S> freshState, Consumer<S> actor1, Consumer<S> actor2) {
    return new Race<>(freshState, actor1, actor2);
  }

  /**
   * Runs both actors on at least {@code samples} states and counts what {@code outcome} says of
   * each, in the outcomes' natural order.
   *
   * @throws InterruptedException if interrupted while the actors run; they are stopped first
   */
  <R extends Comparable<R>> Map<R, Long> run(int samples, Function<S, R> outcome)
      throws InterruptedException {
    int batches = Math.max(1, (samples + BATCH - 1) / BATCH);
    Object[] states = new Object[BATCH];
    CyclicBarrier barrier = new CyclicBarrier(3);
    AtomicInteger arrived = new AtomicInteger();
    Thread first = actorThread("actor-1", actor1, true, states, batches, barrier, arrived);
    Thread second = actorThread("actor-2", actor2, false, states, batches, barrier, arrived);
    Map<R, Long> counts = new TreeMap<>();
    try {
      for (int batch = 0; batch < batches; batch++) {
        for (int i = 0; i < BATCH; i++) {
          states[i] = freshState.get();
        }
        await(barrier);
        await(barrier);
        for (Object state : states) {
          @SuppressWarnings("unchecked") // only states of type S are stored in the array
          S typed = (S) state;
          counts.merge(outcome.apply(typed), 1L, Long::sum);
        }
      }
    } finally {
      LessonThreads.stopAll(List.of(first, second));
    }
    return counts;
  }

  /** The counts of a race as {@code [outcome] count · [outcome] count}, in the map's order. */
  static String describe(Map<?, Long> counts) {
    StringBuilder text = new StringBuilder();
    counts.forEach(
        (outcome, count) -> {
          if (!text.isEmpty()) {
            text.append(" · ");
          }
          text.append(String.format(Locale.ROOT, "[%s] %,d", outcome, count));
        });
    return text.toString();
  }

  private static <S> Thread actorThread(
      String name,
      Consumer<S> actor,
      boolean forward,
      Object[] states,
      int batches,
      CyclicBarrier barrier,
      AtomicInteger arrived) {
    return Thread.ofPlatform()
        .name(name)
        .daemon()
        .start(
            () -> {
              try {
                for (int batch = 1; batch <= batches; batch++) {
                  await(barrier);
                  // Both actors spin here until the other has left the barrier too: waking from
                  // the barrier takes microseconds, and they must start together.
                  arrived.incrementAndGet();
                  while (arrived.get() < 2 * batch) {
                    if (Thread.interrupted()) {
                      throw new InterruptedException();
                    }
                    Thread.onSpinWait();
                  }
                  for (int i = 0; i < states.length; i++) {
                    @SuppressWarnings("unchecked") // only states of type S are stored
                    S typed = (S) states[forward ? i : states.length - 1 - i];
                    actor.accept(typed);
                  }
                  await(barrier);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  private static void await(CyclicBarrier barrier) throws InterruptedException {
    try {
      barrier.await();
    } catch (BrokenBarrierException e) {
      throw new InterruptedException("the race was abandoned: " + e);
    }
  }
}
