package io.github.concurrencycourse.memorymodel.lessons;

import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.LessonContext;
import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Beyond the seed: visibility. A thread spins until another thread sets a flag; with a plain field
 * it may never stop.
 *
 * <p>Run it with {@code ./course run memory-model.visibility}. Each kind of flag runs in a child
 * JVM of its own (a hung thread cannot be stopped, but a JVM can): a reader thread spins on the
 * flag, the main thread waits until the JIT has had time to compile the loop, sets the flag, and
 * gives the reader {@link #BOUND} to notice. You will see, one line per flag:
 *
 * <ul>
 *   <li>{@code plain boolean}: {@code STALE}, still spinning when the bound ran out. C2 compiled
 *       the loop (the line under it is the JVM's own log, {@code -Xlog:jit+compilation}; {@code %}
 *       marks a loop compiled while it runs) and, since nothing in the loop synchronizes, read the
 *       field once before it: the loop no longer reads memory at all;
 *   <li>{@code volatile boolean}, {@code synchronized} getter and setter, {@code
 *       AtomicBoolean.getOpaque()} and a {@code VarHandle} opaque read: {@code TERMINATED}, within
 *       microseconds of the write.
 * </ul>
 *
 * <p>The JMM allows the plain reader to spin for ever and promises nothing about when, or whether,
 * it sees the write; HotSpot's C2 hoists the read, which is why the demo sets the flag only after
 * the loop is compiled. The Python tutorial never shows this: under the GIL every switch between
 * threads makes all writes visible.
 */
public final class VisibilityLesson extends MemoryModelLesson {

  /** How long a reader may take to see the flag before it counts as stuck. */
  static final Duration BOUND = Duration.ofSeconds(1);

  /**
   * How long the reader spins before the flag is set: time for the loop to be compiled. Not paced:
   * the JIT does not compile faster when the lesson runs faster.
   */
  static final Duration WARM_UP = Duration.ofMillis(500);

  /** How long a child JVM may take in all, start-up included, on a busy machine. */
  static final Duration CHILD_TIME = Duration.ofSeconds(60);

  /**
   * The child JVMs: without tiered compilation the loop goes straight to C2, and with {@code
   * -Xbatch} the reader waits for that compilation instead of running on in the interpreter, so the
   * loop is compiled long before {@link #WARM_UP} ends. The JIT's log of its compilations is the
   * evidence; it goes to standard error in whole lines, where the compiler threads cannot splice it
   * into the task's report.
   */
  static final List<String> CHILD_JVM =
      List.of(
          "-XX:-TieredCompilation",
          "-Xbatch",
          "-Xlog:jit+compilation=info:stderr",
          "-XX:+UseSerialGC",
          "-Xmx64m");

  private static final Pattern REPORT = Pattern.compile("(TERMINATED|STALE): (.*)");

  /** The kinds of flag, each with the loop that waits for it. */
  enum Kind {
    PLAIN("plain boolean", "PlainFlag"),
    VOLATILE("volatile boolean", "VolatileFlag"),
    SYNCHRONIZED("synchronized getter/setter", "SynchronizedFlag"),
    ATOMIC_OPAQUE("AtomicBoolean.getOpaque()", "AtomicOpaqueFlag"),
    VAR_HANDLE_OPAQUE("VarHandle getOpaque", "VarHandleOpaqueFlag");

    private final String label;
    private final String className;

    Kind(String label, String className) {
      this.label = label;
      this.className = className;
    }

    String label() {
      return label;
    }

    Flag newFlag() {
      return switch (this) {
        case PLAIN -> new PlainFlag();
        case VOLATILE -> new VolatileFlag();
        case SYNCHRONIZED -> new SynchronizedFlag();
        case ATOMIC_OPAQUE -> new AtomicOpaqueFlag();
        case VAR_HANDLE_OPAQUE -> new VarHandleOpaqueFlag();
      };
    }

    /** Whether {@code printCompilationLine} says the JIT compiled this kind's loop. */
    boolean compiledIn(String printCompilationLine) {
      return printCompilationLine.contains(className + "::spinUntilSet");
    }
  }

  /**
   * What one child showed.
   *
   * @param kind the flag
   * @param terminated whether the reader left its loop within {@link #BOUND} of the write
   * @param detail the child's own words: how long it took, or how long it had spun in vain
   * @param jit the JIT's line about compiling the loop, if it printed one
   */
  record Outcome(Kind kind, boolean terminated, String detail, Optional<String> jit) {}

  public VisibilityLesson() {
    super(
        "memory-model.visibility",
        "Visibility: a spin loop on a plain flag never ends; volatile, locks and opaque reads");
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    out.printf(
        Locale.ROOT,
        "A reader spins until a flag is set; the flag is set after %d ms, and the reader has %d ms"
            + " to notice. One child JVM per flag.%n",
        WARM_UP.toMillis(),
        BOUND.toMillis());
    for (Kind kind : Kind.values()) {
      Outcome outcome = observe(kind);
      out.printf(
          Locale.ROOT,
          "  %-28s %-10s %s%n",
          kind.label(),
          outcome.terminated() ? "TERMINATED" : "STALE",
          outcome.detail());
      outcome.jit().ifPresent(line -> out.println("      C2 compiled the loop: " + line.strip()));
    }
    out.println(
        "STALE means the write was never seen: the JMM allows that for a plain field, and C2 does"
            + " it by reading the field once, before the loop. Every other flag forbids it.");
  }

  /**
   * Runs the reader for {@code kind} in a child JVM and reports what it saw.
   *
   * @throws TimeoutException if the child did not finish within {@link #CHILD_TIME}
   * @throws IllegalStateException if the child ended without reporting
   */
  static Outcome observe(Kind kind) throws Exception {
    // The JIT logs hundreds of lines; the output reader threads append them as they come.
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    WorkerLauncher launcher =
        WorkerLauncher.builder()
            .name(kind.name().toLowerCase(Locale.ROOT))
            .daemon(true)
            .jvmOptions(CHILD_JVM)
            .output(WorkerOutput.prefixedLines(lines::add))
            .build();
    try (WorkerProcess child = launcher.start(Spin.class, kind.name())) {
      if (!child.join(CHILD_TIME)) {
        throw new TimeoutException(child.name() + " still runs after " + CHILD_TIME);
      }
      child
          .failure()
          .ifPresent(
              failure -> {
                throw new IllegalStateException(failure);
              });
    }
    Optional<String> jit =
        lines.stream()
            .filter(kind::compiledIn)
            .findFirst()
            .map(line -> line.substring(line.lastIndexOf("] ") + 2));
    for (String line : lines) {
      Matcher report = REPORT.matcher(withoutPrefix(line));
      if (report.matches()) {
        return new Outcome(kind, report.group(1).equals("TERMINATED"), report.group(2), jit);
      }
    }
    throw new IllegalStateException("the " + kind + " child did not report; it printed " + lines);
  }

  private static String withoutPrefix(String line) {
    return line.substring(line.indexOf("] ") + 2);
  }

  /** Runs in the child JVM: spins on a flag of the kind named by the argument. */
  static final class Spin implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws InterruptedException {
      Flag flag = Kind.valueOf(arguments.get(0)).newFlag();
      long[] spins = new long[1];
      long[] sawItAt = new long[1];
      // A daemon, so that a reader stuck for ever does not keep this JVM alive.
      Thread reader =
          Thread.ofPlatform()
              .daemon()
              .name("reader")
              .start(
                  () -> {
                    spins[0] = flag.spinUntilSet();
                    sawItAt[0] = System.nanoTime();
                  });
      Thread.sleep(WARM_UP);
      long setAt = System.nanoTime();
      flag.set();
      reader.join(BOUND);
      if (reader.isAlive()) {
        System.out.printf(
            Locale.ROOT,
            "STALE: still spinning %d ms after the flag was set%n",
            Duration.ofNanos(System.nanoTime() - setAt).toMillis());
      } else {
        // join() orders the reader's writes before these reads.
        System.out.printf(
            Locale.ROOT,
            "TERMINATED: saw the flag %.1f µs after it was set, after %,d spins%n",
            (sawItAt[0] - setAt) / 1_000.0,
            spins[0]);
      }
    }
  }

  /** A flag and the loop that waits for it, in one class, so the JIT sees one loop per kind. */
  abstract static class Flag {
    /** Spins until the flag is set; returns the number of spins. */
    abstract long spinUntilSet();

    abstract void set();
  }

  /** Broken on purpose: nothing makes the write visible to the loop. */
  static final class PlainFlag extends Flag {
    private boolean stop;

    @Override
    long spinUntilSet() {
      long spins = 0;
      while (!stop) {
        spins++;
      }
      return spins;
    }

    @Override
    void set() {
      stop = true;
    }
  }

  static final class VolatileFlag extends Flag {
    private volatile boolean stop;

    @Override
    long spinUntilSet() {
      long spins = 0;
      while (!stop) {
        spins++;
      }
      return spins;
    }

    @Override
    void set() {
      stop = true;
    }
  }

  static final class SynchronizedFlag extends Flag {
    private boolean stop;

    @Override
    long spinUntilSet() {
      long spins = 0;
      while (!isSet()) {
        spins++;
      }
      return spins;
    }

    @Override
    synchronized void set() {
      stop = true;
    }

    private synchronized boolean isSet() {
      return stop;
    }
  }

  static final class AtomicOpaqueFlag extends Flag {
    private final AtomicBoolean stop = new AtomicBoolean();

    @Override
    long spinUntilSet() {
      long spins = 0;
      while (!stop.getOpaque()) {
        spins++;
      }
      return spins;
    }

    @Override
    void set() {
      stop.setOpaque(true);
    }
  }

  static final class VarHandleOpaqueFlag extends Flag {
    private static final VarHandle STOP;

    static {
      try {
        STOP =
            MethodHandles.lookup().findVarHandle(VarHandleOpaqueFlag.class, "stop", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") // accessed through STOP
    private boolean stop;

    @Override
    long spinUntilSet() {
      long spins = 0;
      while (!(boolean) STOP.getOpaque(this)) {
        spins++;
      }
      return spins;
    }

    @Override
    void set() {
      STOP.setOpaque(this, true);
    }
  }
}
