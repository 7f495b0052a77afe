package io.github.concurrencycourse.threads.lessons;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link OneCarrierDemo} measured in its JVM with one carrier thread, and the lines by which
 * it tells its parent: the demo prints them with the {@code format} methods, {@link
 * CoroutinesLesson} reads them back with {@link #parse}. Immutable.
 *
 * @param carriers the carrier threads the blocking tasks ran on, before and after they blocked
 * @param tasks how many blocking tasks ran
 * @param task how long each task blocked
 * @param mostBlockedAtOnce the most tasks that were blocked at the same moment
 * @param wall the wall time from the first task's start to the last one's end
 * @param straight the CPU job run task after task: switches between the two tasks, best time
 * @param switched the CPU job with a switch after every step: switches, best time
 * @param pinnedBy for each way of blocking probed, in the order probed, the JFR {@code
 *     pinnedReason} if it pinned the virtual thread to its carrier, empty if it did not
 */
record OneCarrierReport(
    List<String> carriers,
    int tasks,
    Duration task,
    int mostBlockedAtOnce,
    Duration wall,
    CpuRun straight,
    CpuRun switched,
    Map<String, Optional<String>> pinnedBy) {

  private static final Pattern BLOCKING =
      Pattern.compile(
          "^carriers \\[(.*)\\]: (\\d+) tasks each blocked (\\d+) ms, at most (\\d+) blocked at"
              + " once, wall (\\d+) ms$");
  private static final Pattern CPU =
      Pattern.compile(
          "^(straight|switched): 2 tasks x \\d+ steps, (\\d+) switches between them, best of \\d+:"
              + " (\\d+) µs$");
  private static final Pattern PINNED =
      Pattern.compile("^pinned by (.+?): (yes|no)(?: \\((.*)\\))?$");

  OneCarrierReport {
    carriers = List.copyOf(carriers);
    pinnedBy = Collections.unmodifiableMap(new LinkedHashMap<>(pinnedBy));
  }

  /**
   * A CPU job of two tasks.
   *
   * @param switches how many times the carrier went from one task to the other
   * @param best the shortest wall time of the runs
   */
  record CpuRun(long switches, Duration best) {}

  /** The line that reports the blocking tasks. */
  static String formatBlocking(
      List<String> carriers, int tasks, Duration task, int mostBlockedAtOnce, Duration wall) {
    return "carriers "
        + carriers
        + ": "
        + tasks
        + " tasks each blocked "
        + task.toMillis()
        + " ms, at most "
        + mostBlockedAtOnce
        + " blocked at once, wall "
        + wall.toMillis()
        + " ms";
  }

  /** The line that reports a CPU job; {@code kind} is {@code "straight"} or {@code "switched"}. */
  static String formatCpu(String kind, int steps, long switches, int runs, Duration best) {
    return String.format(
        Locale.ROOT,
        "%s: 2 tasks x %d steps, %d switches between them, best of %d: %d µs",
        kind,
        steps,
        switches,
        runs,
        best.toNanos() / 1_000);
  }

  /** The line that reports one way of blocking and whether it pinned. */
  static String formatPinned(String blocking, Optional<String> reason) {
    return "pinned by " + blocking + ": " + reason.map(r -> "yes (" + r + ")").orElse("no");
  }

  /**
   * Reads the report from the demo's lines; other lines are ignored.
   *
   * @throws IllegalArgumentException if a part of the report is missing
   */
  static OneCarrierReport parse(List<String> lines) {
    Matcher blocking = null;
    Map<String, CpuRun> cpu = new LinkedHashMap<>();
    Map<String, Optional<String>> pinned = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher m = BLOCKING.matcher(line);
      if (m.matches()) {
        blocking = m;
        continue;
      }
      m = CPU.matcher(line);
      if (m.matches()) {
        cpu.put(
            m.group(1),
            new CpuRun(
                Long.parseLong(m.group(2)), Duration.ofNanos(Long.parseLong(m.group(3)) * 1_000)));
        continue;
      }
      m = PINNED.matcher(line);
      if (m.matches()) {
        pinned.put(
            m.group(1), m.group(2).equals("yes") ? Optional.of(m.group(3)) : Optional.empty());
      }
    }
    if (blocking == null || !cpu.containsKey("straight") || !cpu.containsKey("switched")) {
      throw new IllegalArgumentException("the one-carrier JVM's report is incomplete: " + lines);
    }
    String carrierList = blocking.group(1);
    return new OneCarrierReport(
        carrierList.isEmpty() ? List.of() : Arrays.asList(carrierList.split(", ")),
        Integer.parseInt(blocking.group(2)),
        Duration.ofMillis(Long.parseLong(blocking.group(3))),
        Integer.parseInt(blocking.group(4)),
        Duration.ofMillis(Long.parseLong(blocking.group(5))),
        cpu.get("straight"),
        cpu.get("switched"),
        pinned);
  }

  /** The wall time of the blocking tasks in task times. */
  double wallInTaskTimes() {
    return (double) wall.toNanos() / Math.max(1, task.toNanos());
  }

  /** How many times slower the switched CPU job was than the straight one. */
  double switchingSlowdown() {
    return (double) switched.best().toNanos() / Math.max(1, straight.best().toNanos());
  }
}
