package io.github.concurrencycourse.iomodels.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resident memory and CPU time of a Linux process and all its descendants, read from {@code /proc}
 * and {@link ProcessHandle}: a server that forks workers (the pre-fork model) is measured whole. A
 * descendant that exits while being read is left out.
 */
final class ProcessMetrics {

  private ProcessMetrics() {}

  /** The sum of {@code VmRSS} of {@code /proc/<pid>/status} over the process tree, in KiB. */
  static long residentKib(long pid) throws IOException {
    long total = 0;
    for (ProcessHandle process : tree(pid)) {
      try {
        total += residentKibOf(process.pid());
      } catch (NoSuchFileException e) {
        if (process.pid() == pid) {
          throw e;
        }
      }
    }
    return total;
  }

  private static long residentKibOf(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
      }
    }
    throw new IOException("no VmRSS line in /proc/" + pid + "/status");
  }

  /** User plus system CPU time of the process tree so far. */
  static Duration cpuTime(long pid) throws IOException {
    Duration total = Duration.ZERO;
    for (ProcessHandle process : tree(pid)) {
      total = total.plus(process.info().totalCpuDuration().orElse(Duration.ZERO));
    }
    return total;
  }

  private static List<ProcessHandle> tree(long pid) throws IOException {
    ProcessHandle root =
        ProcessHandle.of(pid).orElseThrow(() -> new IOException("no process " + pid));
    return Stream.concat(Stream.of(root), root.descendants()).toList();
  }
}
