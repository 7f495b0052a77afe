package io.github.concurrencycourse.bench.crawler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The machine's CPU time counters from Linux's {@code /proc/stat}: how much of the time the
 * hypervisor gave this virtual machine's CPUs to others (steal time) between two readings.
 *
 * <p>A crawl that loses a fifth of its CPU time to a neighbour measures the neighbour, not the
 * crawler: the benchmark uses this to tell such crawls apart. Immutable; {@link #read} returns
 * empty where {@code /proc/stat} is missing or unreadable, so the benchmark runs on other systems
 * too.
 *
 * @param steal the ticks the CPUs spent stolen since boot
 * @param total the ticks of user, nice, system, idle, iowait, irq, softirq and steal since boot
 */
record CpuSteal(long steal, long total) {

  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** The counters now, or empty if this system has no readable {@code /proc/stat}. */
  static Optional<CpuSteal> read() {
    try {
      return parse(Files.readString(PROC_STAT, StandardCharsets.US_ASCII));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * The counters of the aggregate {@code cpu} line of {@code /proc/stat}'s content, or empty if
   * there is no such line with the eight counters up to steal.
   */
  static Optional<CpuSteal> parse(String procStat) {
    for (String line : procStat.lines().toList()) {
      String[] fields = SPACES.splitAsStream(line.strip()).toArray(String[]::new);
      if (!fields[0].equals("cpu") || fields.length < 9) {
        continue;
      }
      long total = 0;
      try {
        for (int i = 1; i <= 8; i++) {
          total += Long.parseLong(fields[i]);
        }
        return Optional.of(new CpuSteal(Long.parseLong(fields[8]), total));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The fraction of the CPU time since {@code earlier} that was stolen (0 if no time passed). */
  double fractionSince(CpuSteal earlier) {
    long elapsed = total - earlier.total;
    return elapsed <= 0 ? 0 : (steal - earlier.steal) / (double) elapsed;
  }
}
