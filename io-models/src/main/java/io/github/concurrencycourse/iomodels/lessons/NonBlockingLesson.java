package io.github.concurrencycourse.iomodels.lessons;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.iomodels.NonBlockingEchoServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Non-blocking IO: one thread polls every connection; no call ever waits, so the thread serves all
 * clients, and it never rests either.
 *
 * <p>Run it with {@code ./course run io-models.non-blocking}. Three clients are served by one
 * thread. Then the clients fall silent for a second, and you will see how many times the loop
 * turned for nothing and how much CPU it burned (a whole core when the machine is otherwise idle),
 * then the same with a 1 ms back-off: a thousand times fewer turns, almost no CPU, and up to a
 * millisecond more latency.
 */
public final class NonBlockingLesson implements Lesson {

  /** The back-off of the second run. */
  static final Duration BACK_OFF = Duration.ofMillis(1);

  @Override
  public String id() {
    return "io-models.non-blocking";
  }

  @Override
  public String title() {
    return "non-blocking IO: one thread polls every client, and burns a core while idle";
  }

  @Override
  public SeedSection seedSection() {
    return SeedSection.IO_MODELS;
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    IdleCost busy = serveThenIdle(new NonBlockingEchoServer(), "no back-off", context.pace(), out);
    IdleCost resting =
        serveThenIdle(new NonBlockingEchoServer(BACK_OFF), "1 ms back-off", context.pace(), out);
    out.printf(
        "the back-off cut the idle loop turns %d times; the price is up to %d ms of extra latency%n",
        busy.turns() / Math.max(1, resting.turns()), BACK_OFF.toMillis());
  }

  /** Loop turns and CPU time of the polling thread over an idle window of one seed second. */
  record IdleCost(long turns, Duration cpu, Duration window) {}

  static IdleCost serveThenIdle(
      NonBlockingEchoServer server, String label, Pace pace, PrintStream out) throws Exception {
    try (server) {
      server.start(0);
      try (ClientGroup clients = ClientGroup.connect(server, 3)) {
        List<String> replies = clients.exchangeEach(i -> "client " + i);
        for (int i = 0; i < replies.size(); i++) {
          out.println("[" + label + "] client " + (i + 1) + ": " + replies.get(i));
        }
        // The window encloses the readings, so that no turn is counted outside it.
        long start = System.nanoTime();
        long turnsBefore = server.loopTurns();
        Duration cpuBefore = server.cpuTime();
        pace.sleepSeconds(1);
        long turns = server.loopTurns() - turnsBefore;
        Duration cpu = server.cpuTime().minus(cpuBefore);
        IdleCost cost = new IdleCost(turns, cpu, Duration.ofNanos(System.nanoTime() - start));
        out.printf(
            "[%s] idle for %d ms: %d loop turns, %d ms of CPU (%.0f%% of a core)%n",
            label,
            cost.window().toMillis(),
            cost.turns(),
            cost.cpu().toMillis(),
            100.0 * cost.cpu().toNanos() / cost.window().toNanos());
        return cost;
      }
    }
  }
}
