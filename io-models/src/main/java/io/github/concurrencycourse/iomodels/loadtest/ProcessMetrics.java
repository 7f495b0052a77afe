package io.github.concurrencycourse.iomodels.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Resident memory and CPU time of a Linux process and all its descendants, read from {@code /proc}
 * and {@link ProcessHandle}: a server that forks workers (the pre-fork model) is measured whole. A
 * descendant that exits while being read is left out, and so is one that has exited and is not yet
 * reaped (a zombie holds no memory and has no {@code VmRSS} line): a server that starts a process
 * per connection has them come and go all the time.
 */
final class ProcessMetrics {

  private ProcessMetrics() {}

  /** The sum of {@code VmRSS} of {@code /proc/<pid>/status} over the process tree, in KiB. */
  static long residentKib(long pid) throws IOException {
    long total = 0;
    for (ProcessHandle process : tree(pid)) {
      try {
        OptionalLong resident = residentKibOf(process.pid());
        if (resident.isPresent()) {
          total += resident.getAsLong();
        } else if (process.pid() == pid) {
          throw new IOException("no VmRSS line in /proc/" + pid + "/status: it has exited");
        }
      } catch (NoSuchFileException e) {
        if (process.pid() == pid) {
          throw e;
        }
      }
    }
    return total;
  }

  /** The process's {@code VmRSS}, or empty for a zombie, whose status has no such line. */
  private static OptionalLong residentKibOf(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return OptionalLong.of(
            Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim()));
      }
    }
    return OptionalLong.empty();
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
