package io.github.concurrencycourse.bench.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Resident memory and CPU time of a Linux process, read from {@code /proc} and its handle. */
final class ProcStatus {

  private ProcStatus() {}

  /** {@code VmRSS} of {@code /proc/<pid>/status}, in KiB. */
  static long residentKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    }
    throw new IOException("no VmRSS line in /proc/" + pid + "/status");
  }

  /** User plus system CPU time of the process so far. */
  static Duration cpuTime(long pid) throws IOException {
    return ProcessHandle.of(pid)
        .flatMap(handle -> handle.info().totalCpuDuration())
        .orElseThrow(() -> new IOException("no CPU time for process " + pid));
  }
}
