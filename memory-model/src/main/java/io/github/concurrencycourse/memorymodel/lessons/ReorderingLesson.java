package io.github.concurrencycourse.memorymodel.lessons;

import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Beyond the seed: reordering, and the happens-before rules that forbid it.
 *
 * <p>Run it with {@code ./course run memory-model.reordering}. You will see Dekker's store
 * buffering race, {@code x = 1; r1 = y} against {@code y = 1; r2 = x}: on plain fields some samples
 * end with both loads at 0, an outcome no interleaving of the four statements produces (the store
 * waited in the CPU's store buffer while the load ran, or the JIT swapped them); on volatile fields
 * never. Then each rule that creates a happens-before edge, checked in this run: a reader that sees
 * the signal (an unlock, a volatile write, a thread's start or end, a queue hand over, a latch)
 * sees the data written before it, every time.
 *
 * <p>The Python tutorial never meets this: the GIL runs one bytecode at a time and every switch
 * between threads orders all memory. In Java, only happens-before does.
 */
public final class ReorderingLesson extends MemoryModelLesson {

  /** Samples per race: about a second's work at full speed on two cores. */
  static final int SAMPLES = 1 << 18;

  /** Rounds of the rules that start a thread or hand over a message per round. */
  static final int ROUNDS = 200;

  /** The four variables of one store-buffering sample; the fields are plain. */
  static final class PlainPair {
    int x;
    int y;
    int r1;
    int r2;
  }

  /** The same sample with volatile {@code x} and {@code y}. */
  static final class VolatilePair {
    volatile int x;
    volatile int y;
    int r1;
    int r2;
  }

  /** What both loads of a store-buffering sample read. */
  record Loads(int r1, int r2) implements Comparable<Loads> {
    static final Loads BOTH_ZERO = new Loads(0, 0);

    @Override
    public int compareTo(Loads other) {
      return r1 != other.r1 ? Integer.compare(r1, other.r1) : Integer.compare(r2, other.r2);
    }

    @Override
    public String toString() {
      return r1 + ", " + r2;
    }
  }

  /** A message: plain data and a signal, guarded by whatever the rule under test says. */
  static final class Message {
    int data;
    boolean plainReady;
    volatile boolean volatileReady;
    boolean seenReady;
    int seenData;
  }

  /** What a reader saw: the signal, and whether the data written before it was there. */
  enum Seen {
    NOT_YET("not signalled yet"),
    SIGNAL_AND_DATA("signal and data"),
    SIGNAL_WITHOUT_DATA("signal without its data");

    private final String label;

    Seen(String label) {
      this.label = label;
    }

    static Seen of(Message message) {
      if (!message.seenReady) {
        return NOT_YET;
      }
      return message.seenData == 42 ? SIGNAL_AND_DATA : SIGNAL_WITHOUT_DATA;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  public ReorderingLesson() {
    super(
        "memory-model.reordering",
        "Reordering: store buffering on plain fields, and the happens-before rules");
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    out.printf(
        Locale.ROOT,
        "Store buffering: thread 1 runs x = 1; r1 = y, thread 2 runs y = 1; r2 = x,"
            + " on %,d fresh pairs each.%n",
        SAMPLES);
    out.println("Any interleaving of the four statements leaves r1 or r2 at 1.");
    Map<Loads, Long> plain = plainStoreBuffering(SAMPLES);
    Map<Loads, Long> fenced = volatileStoreBuffering(SAMPLES);
    out.printf(
        Locale.ROOT,
        "  plain fields:    %s -> r1 = r2 = 0 seen %,d times (the JMM allows it)%n",
        Race.describe(plain),
        plain.getOrDefault(Loads.BOTH_ZERO, 0L));
    out.printf(
        Locale.ROOT,
        "  volatile fields: %s -> r1 = r2 = 0 seen %,d times (the JMM forbids it)%n",
        Race.describe(fenced),
        fenced.getOrDefault(Loads.BOTH_ZERO, 0L));
    out.println();
    out.println(
        "Happens-before: the writer sets data = 42, then signals; a reader that sees the signal");
    out.println("must see 42 when the signal is one of these edges:");
    printRule(out, "plain flag (no edge)", plainFlag(SAMPLES), "allowed to miss");
    printRule(out, "monitor: unlock -> lock", monitor(SAMPLES), "never misses");
    printRule(out, "volatile write -> read", volatileFlag(SAMPLES), "never misses");
    printRule(out, "Thread.start() -> thread", threadStart(ROUNDS), "never misses");
    printRule(out, "thread ends -> join()", threadJoin(ROUNDS), "never misses");
    printRule(out, "BlockingQueue put -> take", queueHandOver(ROUNDS), "never misses");
    printRule(out, "countDown() -> await()", latch(ROUNDS), "never misses");
    out.println(
        "Final fields are the last rule: a constructor's writes to them are seen by any thread"
            + " that sees the object (memory-model.publication).");
  }

  private static void printRule(PrintStream out, String rule, Map<Seen, Long> seen, String jmm) {
    long total = seen.values().stream().mapToLong(Long::longValue).sum();
    out.printf(
        Locale.ROOT,
        "  %-27s %,9d samples: %,9d signal and data, %,d signal without its data (%s)%n",
        rule,
        total,
        seen.getOrDefault(Seen.SIGNAL_AND_DATA, 0L),
        seen.getOrDefault(Seen.SIGNAL_WITHOUT_DATA, 0L),
        jmm);
  }

  /** Dekker's race on plain fields. */
  static Map<Loads, Long> plainStoreBuffering(int samples) throws InterruptedException {
    return Race.between(
            PlainPair::new,
            (PlainPair p) -> {
              p.x = 1;
              p.r1 = p.y;
            },
            (PlainPair p) -> {
              p.y = 1;
              p.r2 = p.x;
            })
        .run(samples, p -> new Loads(p.r1, p.r2));
  }

  /** Dekker's race on volatile fields. */
  static Map<Loads, Long> volatileStoreBuffering(int samples) throws InterruptedException {
    return Race.between(
            VolatilePair::new,
            (VolatilePair p) -> {
              p.x = 1;
              p.r1 = p.y;
            },
            (VolatilePair p) -> {
              p.y = 1;
              p.r2 = p.x;
            })
        .run(samples, p -> new Loads(p.r1, p.r2));
  }

  /** Message passing through a plain flag: no edge. */
  static Map<Seen, Long> plainFlag(int samples) throws InterruptedException {
    return Race.between(
            Message::new,
            (Message m) -> {
              m.data = 42;
              m.plainReady = true;
            },
            (Message m) -> {
              m.seenReady = m.plainReady;
              m.seenData = m.data;
            })
        .run(samples, Seen::of);
  }

  /** Message passing through a volatile flag. */
  static Map<Seen, Long> volatileFlag(int samples) throws InterruptedException {
    return Race.between(
            Message::new,
            (Message m) -> {
              m.data = 42;
              m.volatileReady = true;
            },
            (Message m) -> {
              m.seenReady = m.volatileReady;
              m.seenData = m.data;
            })
        .run(samples, Seen::of);
  }

  /** Message passing under the message's monitor. */
  static Map<Seen, Long> monitor(int samples) throws InterruptedException {
    return Race.between(
            Message::new,
            (Message m) -> {
              synchronized (m) {
                m.data = 42;
                m.plainReady = true;
              }
            },
            (Message m) -> {
              synchronized (m) {
                m.seenReady = m.plainReady;
                m.seenData = m.data;
              }
            })
        .run(samples, Seen::of);
  }

  /** The data is written before {@code start()}; the started thread reads it. */
  static Map<Seen, Long> threadStart(int rounds) throws InterruptedException {
    Map<Seen, Long> seen = new TreeMap<>();
    for (int i = 0; i < rounds; i++) {
      Message m = new Message();
      m.data = 42;
      Thread reader =
          Thread.ofPlatform()
              .start(
                  () -> {
                    m.seenReady = true;
                    m.seenData = m.data;
                  });
      reader.join();
      seen.merge(Seen.of(m), 1L, Long::sum);
    }
    return seen;
  }

  /** A thread writes the data and ends; {@code join()} returns, and the joiner reads it. */
  static Map<Seen, Long> threadJoin(int rounds) throws InterruptedException {
    Map<Seen, Long> seen = new TreeMap<>();
    for (int i = 0; i < rounds; i++) {
      Message m = new Message();
      Thread writer = Thread.ofPlatform().start(() -> m.data = 42);
      writer.join();
      m.seenReady = true;
      m.seenData = m.data;
      seen.merge(Seen.of(m), 1L, Long::sum);
    }
    return seen;
  }

  /** Messages written with plain stores, handed from one thread to another through a queue. */
  static Map<Seen, Long> queueHandOver(int rounds) throws InterruptedException {
    BlockingQueue<Message> queue = new ArrayBlockingQueue<>(16);
    Map<Seen, Long> seen = new TreeMap<>();
    Thread producer =
        Thread.ofPlatform()
            .name("producer")
            .start(
                () -> {
                  try {
                    for (int i = 0; i < rounds; i++) {
                      Message m = new Message();
                      m.data = 42;
                      queue.put(m);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      for (int i = 0; i < rounds; i++) {
        Message m = queue.take();
        m.seenReady = true;
        m.seenData = m.data;
        seen.merge(Seen.of(m), 1L, Long::sum);
      }
    } finally {
      LessonThreads.stopAll(List.of(producer));
    }
    return seen;
  }

  /** The writer counts a latch down after writing; the reader reads once {@code await} returns. */
  static Map<Seen, Long> latch(int rounds) throws InterruptedException {
    Map<Seen, Long> seen = new TreeMap<>();
    for (int i = 0; i < rounds; i++) {
      Message m = new Message();
      CountDownLatch written = new CountDownLatch(1);
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    m.data = 42;
                    written.countDown();
                  });
      try {
        written.await();
        m.seenReady = true;
        m.seenData = m.data;
      } finally {
        LessonThreads.stopAll(List.of(writer));
      }
      seen.merge(Seen.of(m), 1L, Long::sum);
    }
    return seen;
  }
}
