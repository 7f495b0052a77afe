package io.github.concurrencycourse.threads.lessons;

import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * 协程: 单线程下并发, concurrency inside one thread, switching to another task whenever one blocks on IO;
 * written with generators ({@code yield}) or with greenlet and gevent, where {@code
 * monkey.patch_all()} turns every blocking call into a switch.
 *
 * <p>Run it with {@code ./course run threads.coroutines}. You will see four parts:
 *
 * <ol>
 *   <li>The generator style: a producer and a consumer hand control to each other in one thread.
 *       The producer is an {@link Iterator} (Java has no {@code yield} that suspends a method, so
 *       the producer keeps its place in a field) and the consumer is the loop that drives it:
 *       {@code 生产者 produced 苹果0}, {@code 消费者 ate 苹果0}, {@code 生产者 produced 苹果1}, ..., every line
 *       printed by the same thread.
 *   <li>gevent's point, in a child JVM whose virtual threads all run on one carrier thread: ten
 *       thousand tasks that each block for one second of seed time all run on {@code
 *       ForkJoinPool-1-worker-1}, thousands of them blocked at once, and the whole takes about one
 *       task's time, not ten thousand.
 *   <li>The seed's caveat: switching pays only when there is IO to wait for. The same CPU job of
 *       two tasks, run one after the other and then switching after every step, is several times
 *       slower switched: the switches cost, and there is nothing to overlap.
 *   <li>What pins a virtual thread to its carrier on the JDK that runs the lesson, recorded with
 *       JFR's {@code jdk.VirtualThreadPinned}: since JDK 24 sleeping inside {@code synchronized} no
 *       longer pins; sleeping inside a class initializer (below a frame of the VM, as Java code
 *       called from native code is below a native frame) still does.
 * </ol>
 *
 * <p>The child JVM is started with {@link WorkerLauncher} and {@link OneCarrierDemo#ONE_CARRIER};
 * its lines are relayed prefixed {@code [one-carrier]}, and the lesson sums them up once it has
 * ended.
 */
public final class CoroutinesLesson extends AbstractLesson {

  /** The foods the generator produces, the seed's producer-consumer names. */
  static final int FOODS = 3;

  static final String CHILD_NAME = "one-carrier";

  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

  public CoroutinesLesson() {
    super(
        "threads.coroutines",
        "Coroutines: a generator hand-off, 10 000 blocking tasks on one carrier, switching costs, pinning",
        SeedSection.COROUTINES);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    out.println("-- 1. the generator style: producer and consumer take turns in one thread");
    Set<String> threads = produceAndConsume(out);
    out.println(
        "every line above was printed by " + threads + ": one thread, two tasks taking turns");

    out.println(
        "-- 2-4 run in a child JVM whose virtual threads all share ONE carrier thread "
            + OneCarrierDemo.ONE_CARRIER);
    OneCarrierReport report = runOneCarrier(out, context.pace());
    out.println("-- what the child JVM showed");
    out.printf(
        Locale.ROOT,
        "2. %d tasks ran on %d carrier thread%s %s, up to %d blocked at once, in %.1f task times"
            + " (one after another they would take %d)%n",
        report.tasks(),
        report.carriers().size(),
        report.carriers().size() == 1 ? "" : "s",
        report.carriers(),
        report.mostBlockedAtOnce(),
        report.wallInTaskTimes(),
        report.tasks());
    long switches = report.switched().switches();
    out.printf(
        Locale.ROOT,
        "3. switching after every step made the CPU job %.1fx slower: %d switches at about %.2f µs"
            + " each, and no IO to overlap%n",
        report.switchingSlowdown(),
        switches,
        (report.switched().best().toNanos() - report.straight().best().toNanos())
            / 1_000.0
            / Math.max(1, switches));
    report
        .pinnedBy()
        .forEach(
            (blocking, reason) ->
                out.println(
                    "4. "
                        + blocking
                        + (reason.isPresent()
                            ? ": pins the virtual thread to its carrier"
                            : ": does not pin")
                        + " on JDK "
                        + Runtime.version().feature()));
  }

  /**
   * Drives the producer generator from a consumer loop, printing who does what, and returns the
   * names of the threads that printed.
   */
  static Set<String> produceAndConsume(PrintStream out) {
    Set<String> threads = new LinkedHashSet<>();
    Iterator<String> producer = new Producer(out, threads);
    // The consumer: each next() runs the producer up to its next "yield", then comes back here.
    while (producer.hasNext()) {
      String food = producer.next();
      threads.add(Thread.currentThread().getName());
      out.println("消费者 ate " + food + "   (thread " + Thread.currentThread().getName() + ")");
    }
    return threads;
  }

  /**
   * Runs {@link OneCarrierDemo} in a child JVM with one carrier thread, relays its lines to {@code
   * out} and returns what it reported.
   *
   * @throws IllegalStateException if the child failed, with its stack trace
   * @throws TimeoutException if the child did not end within a minute; it is killed
   */
  static OneCarrierReport runOneCarrier(PrintStream out, Pace pace) throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    String prefix = "[" + CHILD_NAME + "] ";
    WorkerLauncher launcher =
        WorkerLauncher.builder()
            .name(CHILD_NAME)
            .daemon(true)
            .jvmOptions(OneCarrierDemo.ONE_CARRIER)
            .output(
                WorkerOutput.prefixedLines(
                    line -> {
                      out.println(line);
                      lines.add(line.startsWith(prefix) ? line.substring(prefix.length()) : line);
                    }))
            .build();
    try (WorkerProcess child =
        launcher.start(OneCarrierDemo.class, Double.toString(pace.factor()))) {
      if (!child.join(CHILD_TIMEOUT)) {
        throw new TimeoutException("the one-carrier JVM still runs after " + CHILD_TIMEOUT);
      }
      if (child.exitValue() != 0) {
        throw new IllegalStateException(
            "the one-carrier JVM exited with code "
                + child.exitValue()
                + child.failure().map(f -> ": " + f.remoteStackTrace()).orElse(""));
      }
    }
    return OneCarrierReport.parse(lines);
  }

  /**
   * The producer as a generator: each {@link #next()} does one step of producing, hands the food
   * over and gives control back to the caller; where it stands is kept in a field, not in a
   * suspended frame.
   */
  private static final class Producer implements Iterator<String> {
    private final PrintStream out;
    private final Set<String> threads;
    private int produced;

    Producer(PrintStream out, Set<String> threads) {
      this.out = out;
      this.threads = threads;
    }

    @Override
    public boolean hasNext() {
      return produced < FOODS;
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      String food = "苹果" + produced++;
      threads.add(Thread.currentThread().getName());
      out.println("生产者 produced " + food + "   (thread " + Thread.currentThread().getName() + ")");
      return food;
    }
  }
}
