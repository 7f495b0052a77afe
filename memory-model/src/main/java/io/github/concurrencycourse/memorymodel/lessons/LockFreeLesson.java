package io.github.concurrencycourse.memorymodel.lessons;

import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.memorymodel.TreiberStack;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicStampedReference;

/**
 * Beyond the seed: lock-free code. Compare-and-set instead of a lock, and what it costs.
 *
 * <p>Run it with {@code ./course run memory-model.lock-free}. You will see:
 *
 * <ul>
 *   <li>a compare-and-set retry loop: two threads add to one {@link AtomicLong}, and every failed
 *       {@code compareAndSet} (another thread got there first) is counted and retried;
 *   <li>{@link TreiberStack}, this module's lock-free stack: two threads push and pop, and every
 *       element comes out exactly once;
 *   <li>the ABA problem, reproduced step by step: a stack that recycles its nodes lets a paused
 *       {@code pop} swap in a node that was popped meanwhile, because the head is the same node
 *       again; the stack then holds an element twice and has lost one. With an {@link
 *       AtomicStampedReference} the paused {@code compareAndSet} fails and retries. The Treiber
 *       stack never recycles a node, and the garbage collector keeps a node alive while anyone can
 *       compare against it, which is why Java code rarely meets ABA;
 *   <li>false sharing, measured: two threads each increment a counter of their own, first in
 *       adjacent slots of one array (one cache line, which the two cores take from each other on
 *       every write), then 128 bytes apart.
 * </ul>
 */
public final class LockFreeLesson extends MemoryModelLesson {

  /** Additions per thread in the retry-loop race. */
  static final int ADDITIONS = 1_000_000;

  /** Elements each thread pushes and pops on the Treiber stack. */
  static final int ELEMENTS = 100_000;

  /** Increments per thread in the false-sharing race. */
  static final int SHARING_INCREMENTS = 20_000_000;

  /** Slots between the two counters when padded: 16 longs, 128 bytes, two cache lines. */
  static final int PADDED_DISTANCE = 16;

  /** What the retry-loop race ended with. */
  record CasRace(long total, long expected, long failedSwaps) {}

  /** What the stack race ended with. */
  record StackRace(int pushed, int popped, int distinct) {}

  /** What a stack held, and what was popped, after the ABA scenario. */
  record AbaOutcome(List<String> pausedPop, List<String> otherPops, List<String> left) {}

  /** The two false-sharing timings. */
  record Sharing(Duration adjacent, Duration padded) {
    double ratio() {
      return (double) adjacent.toNanos() / Math.max(1, padded.toNanos());
    }
  }

  /** A node of the recycling stacks: mutable, because it is reused. */
  static final class RecycledNode {
    String item;
    RecycledNode next;
  }

  /** A stack whose {@code pop} can be paused between reading the head and swapping it. */
  interface AbaStack {
    void push(String item);

    /** Pops, running {@code beforeSwap} between reading the head and swapping it. */
    String pop(Runnable beforeSwap);

    /** The elements from the top, at most ten (a corrupted stack may hold a cycle). */
    List<String> contents();
  }

  /**
   * A Treiber stack that recycles popped nodes, as an object pool or manual memory management does.
   * Broken on purpose: its compare-and-set cannot tell a node from the same node reused.
   */
  static final class RecyclingStack implements AbaStack {
    private final AtomicReference<RecycledNode> head = new AtomicReference<>();
    private final Queue<RecycledNode> free = new ConcurrentLinkedQueue<>();

    @Override
    public void push(String item) {
      RecycledNode node = free.poll();
      if (node == null) {
        node = new RecycledNode();
      }
      node.item = item;
      RecycledNode top;
      do {
        top = head.get();
        node.next = top;
      } while (!head.compareAndSet(top, node));
    }

    @Override
    public String pop(Runnable beforeSwap) {
      while (true) {
        RecycledNode top = head.get();
        if (top == null) {
          return null;
        }
        RecycledNode next = top.next;
        String item = top.item;
        beforeSwap.run();
        if (head.compareAndSet(top, next)) {
          free.add(top);
          return item;
        }
      }
    }

    @Override
    public List<String> contents() {
      List<String> items = new ArrayList<>();
      for (RecycledNode node = head.get(); node != null && items.size() < 10; node = node.next) {
        items.add(node.item);
      }
      return items;
    }
  }

  /** The same stack, its head stamped with a version that every change increments. */
  static final class StampedRecyclingStack implements AbaStack {
    private final AtomicStampedReference<RecycledNode> head = new AtomicStampedReference<>(null, 0);
    private final Queue<RecycledNode> free = new ConcurrentLinkedQueue<>();

    @Override
    public void push(String item) {
      RecycledNode node = free.poll();
      if (node == null) {
        node = new RecycledNode();
      }
      node.item = item;
      int[] stamp = new int[1];
      RecycledNode top;
      do {
        top = head.get(stamp);
        node.next = top;
      } while (!head.compareAndSet(top, node, stamp[0], stamp[0] + 1));
    }

    @Override
    public String pop(Runnable beforeSwap) {
      int[] stamp = new int[1];
      while (true) {
        RecycledNode top = head.get(stamp);
        if (top == null) {
          return null;
        }
        RecycledNode next = top.next;
        String item = top.item;
        beforeSwap.run();
        if (head.compareAndSet(top, next, stamp[0], stamp[0] + 1)) {
          free.add(top);
          return item;
        }
      }
    }

    @Override
    public List<String> contents() {
      List<String> items = new ArrayList<>();
      for (RecycledNode node = head.getReference();
          node != null && items.size() < 10;
          node = node.next) {
        items.add(node.item);
      }
      return items;
    }
  }

  public LockFreeLesson() {
    super(
        "memory-model.lock-free",
        "Lock-free: a CAS retry loop, a Treiber stack, the ABA problem, false sharing");
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    CasRace cas = casRace(ADDITIONS);
    out.printf(
        Locale.ROOT,
        "CAS retry loop: 2 threads add %,d each: total %,d of %,d; %,d compareAndSet calls failed"
            + " and were retried%n",
        ADDITIONS,
        cas.total(),
        cas.expected(),
        cas.failedSwaps());
    StackRace stack = stackRace(ELEMENTS);
    out.printf(
        Locale.ROOT,
        "TreiberStack: 2 threads pushed %,d and popped %,d elements, %,d distinct: each exactly"
            + " once%n",
        stack.pushed(),
        stack.popped(),
        stack.distinct());
    out.println();
    out.println(
        "ABA: the stack holds A, B, C. Thread 1 starts pop(): reads head A and its next B, then"
            + " pauses.");
    out.println(
        "Thread 2 pops A, pops B, pushes X, which reuses A's node: the head is node A again.");
    AbaOutcome broken = aba(new RecyclingStack());
    out.printf(
        Locale.ROOT,
        "  AtomicReference:        thread 1's compareAndSet(A, B) succeeds; it popped %s, thread 2"
            + " popped %s; the stack now holds %s: A popped twice, B back after it was popped, X"
            + " lost%n",
        broken.pausedPop(),
        broken.otherPops(),
        broken.left());
    AbaOutcome stamped = aba(new StampedRecyclingStack());
    out.printf(
        Locale.ROOT,
        "  AtomicStampedReference: the stamp moved from 3 to 6, the swap fails and is retried; it"
            + " popped %s, thread 2 popped %s; the stack now holds %s%n",
        stamped.pausedPop(),
        stamped.otherPops(),
        stamped.left());
    out.println();
    Sharing sharing = falseSharing(SHARING_INCREMENTS);
    out.printf(
        Locale.ROOT,
        "False sharing: 2 threads each increment their own counter %,d times: adjacent slots %d"
            + " ms, %d bytes apart %d ms: %.1fx slower when the counters share a cache line (this"
            + " run, on a shared machine)%n",
        SHARING_INCREMENTS,
        sharing.adjacent().toMillis(),
        PADDED_DISTANCE * Long.BYTES,
        sharing.padded().toMillis(),
        sharing.ratio());
  }

  /** Two threads add 1 to one counter {@code additions} times each with a CAS retry loop. */
  static CasRace casRace(int additions) throws InterruptedException {
    AtomicLong total = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Together.run(
        "lock-free",
        2,
        thread -> {
          long failures = 0;
          for (int i = 0; i < additions; i++) {
            long seen = total.get();
            while (!total.compareAndSet(seen, seen + 1)) {
              failures++;
              seen = total.get();
            }
          }
          failed.addAndGet(failures);
        });
    return new CasRace(total.get(), 2L * additions, failed.get());
  }

  /** Two threads push {@code elements} distinct numbers each and pop as many. */
  static StackRace stackRace(int elements) throws InterruptedException {
    TreiberStack<Integer> stack = new TreiberStack<>();
    Queue<Integer> popped = new ConcurrentLinkedQueue<>();
    Together.run(
        "lock-free",
        2,
        thread -> {
          for (int i = 0; i < elements; i++) {
            stack.push(thread * elements + i);
          }
          for (int i = 0; i < elements; i++) {
            Integer element = stack.pop();
            if (element != null) {
              popped.add(element);
            }
          }
        });
    for (Integer rest = stack.pop(); rest != null; rest = stack.pop()) {
      popped.add(rest);
    }
    Set<Integer> distinct = ConcurrentHashMap.newKeySet();
    distinct.addAll(popped);
    return new StackRace(2 * elements, popped.size(), distinct.size());
  }

  /**
   * The ABA scenario, step by step: thread 1 pauses inside {@code pop} between reading the head and
   * swapping it, while this thread, as thread 2, pops A and B and pushes X.
   */
  static AbaOutcome aba(AbaStack stack) throws InterruptedException {
    stack.push("C");
    stack.push("B");
    stack.push("A");
    CountDownLatch paused = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    List<String> pausedPop = new ArrayList<>();
    Thread first =
        Thread.ofPlatform()
            .name("thread-1")
            .start(
                () -> {
                  boolean[] pausedOnce = {false};
                  String item =
                      stack.pop(
                          () -> {
                            if (!pausedOnce[0]) {
                              pausedOnce[0] = true;
                              paused.countDown();
                              awaitQuietly(resume);
                            }
                          });
                  pausedPop.add(item);
                });
    List<String> otherPops = new ArrayList<>();
    try {
      paused.await();
      otherPops.add(stack.pop(() -> {}));
      otherPops.add(stack.pop(() -> {}));
      stack.push("X");
      resume.countDown();
      first.join();
    } finally {
      resume.countDown();
      LessonThreads.stopAll(List.of(first));
    }
    return new AbaOutcome(List.copyOf(pausedPop), List.copyOf(otherPops), stack.contents());
  }

  /**
   * Two threads increment their own slot of one array, {@code distance} slots apart, {@code
   * increments} times each; the best of three rounds of each layout.
   */
  static Sharing falseSharing(int increments) throws InterruptedException {
    Duration adjacent = Duration.ofDays(1);
    Duration padded = Duration.ofDays(1);
    for (int round = 0; round < 3; round++) {
      adjacent = min(adjacent, timeIncrements(1, increments));
      padded = min(padded, timeIncrements(PADDED_DISTANCE, increments));
    }
    return new Sharing(adjacent, padded);
  }

  /** Runs the two incrementing threads once; returns their wall time. */
  static Duration timeIncrements(int distance, int increments) throws InterruptedException {
    AtomicLongArray slots = new AtomicLongArray(2 * PADDED_DISTANCE + 1);
    long start = System.nanoTime();
    Together.run(
        "lock-free",
        2,
        thread -> {
          int slot = thread * distance;
          for (int i = 0; i < increments; i++) {
            // One writer per slot: opaque accesses are enough, and keep every store in the loop.
            slots.setOpaque(slot, slots.getOpaque(slot) + 1);
          }
        });
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    if (slots.get(0) != increments || slots.get(distance) != increments) {
      throw new IllegalStateException("a counter lost increments: " + slots);
    }
    return elapsed;
  }

  /** Waits for {@code latch}; returns false, with the interrupt status set, if interrupted. */
  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
