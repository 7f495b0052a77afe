package io.github.concurrencycourse.iomodels.loadtest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Where the load generator and the servers run: two disjoint sets of the CPUs this process may use,
 * the first half for the generator and the rest for the server, so that neither takes the other's
 * CPU time and a cell measures the server rather than the two fighting over cores. A child JVM pins
 * itself ({@link #pin}) with Linux's {@code taskset} before it starts a thread of its own.
 *
 * <p>Where that cannot be done (another OS, no {@code taskset}, a single CPU) the sets are {@link
 * #pinned() not pinned}, and {@link #describe()} says why: the two then share the CPUs, as an
 * honest report must say beside its numbers.
 *
 * <p>Immutable and thread-safe.
 */
final class CpuSets {

  private static final long PIN_TIMEOUT_SECONDS = 10;

  private final List<Integer> generator;
  private final List<Integer> server;
  private final String unpinnedBecause;

  private CpuSets(List<Integer> generator, List<Integer> server, String unpinnedBecause) {
    this.generator = List.copyOf(generator);
    this.server = List.copyOf(server);
    this.unpinnedBecause = unpinnedBecause;
  }

  /** Splits the CPUs this process may use, or says why they cannot be split. */
  static CpuSets split() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return unpinned("taskset is Linux's, this is " + System.getProperty("os.name"));
    }
    if (taskset().isEmpty()) {
      return unpinned("no taskset on the PATH");
    }
    List<Integer> cpus;
    try {
      cpus = allowedCpus();
    } catch (IOException | RuntimeException e) {
      return unpinned("cannot read the CPUs this process may use: " + e.getMessage());
    }
    if (cpus.size() < 2) {
      return unpinned("only " + cpus.size() + " CPU to run on");
    }
    int half = cpus.size() / 2;
    return new CpuSets(cpus.subList(0, half), cpus.subList(half, cpus.size()), "");
  }

  /** Sets that pin nothing, for {@code reason}. */
  static CpuSets unpinned(String reason) {
    return new CpuSets(List.of(), List.of(), reason);
  }

  /** Whether the generator and the server get CPU sets of their own. */
  boolean pinned() {
    return unpinnedBecause.isEmpty();
  }

  /** The generator's CPUs as {@code taskset} lists them ({@code "0"}, {@code "0,1"}), or empty. */
  String generatorList() {
    return list(generator);
  }

  /** The server's CPUs as {@code taskset} lists them, or empty when not pinned. */
  String serverList() {
    return list(server);
  }

  /** The JVM options that size a child's thread pools for its CPU set. */
  List<String> jvmOptions(String cpuList) {
    return cpuList.isEmpty()
        ? List.of()
        : List.of("-XX:ActiveProcessorCount=" + cpuList.split(",", -1).length);
  }

  /** One line for a report: where each side runs, or why they share the CPUs. */
  String describe() {
    return pinned()
        ? "load generator on CPU " + generatorList() + ", each server on CPU " + serverList()
        : "not pinned (" + unpinnedBecause + "): the load generator and the server share the CPUs";
  }

  /**
   * Pins every thread of this process to {@code cpuList}; the threads it starts later inherit the
   * set. Call it before starting threads of one's own.
   *
   * @throws IOException if {@code taskset} cannot be run or refuses, with what it said
   * @throws InterruptedException if interrupted while waiting for it
   */
  static void pin(String cpuList) throws IOException, InterruptedException {
    Path taskset = taskset().orElseThrow(() -> new IOException("no taskset on the PATH"));
    Process process =
        new ProcessBuilder(
                taskset.toString(),
                "--all-tasks",
                "--cpu-list",
                "--pid",
                cpuList,
                Long.toString(ProcessHandle.current().pid()))
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(PIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("taskset did not finish within " + PIN_TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      throw new IOException("taskset exited with " + process.exitValue() + ": " + said.strip());
    }
  }

  private static Optional<Path> taskset() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(File.pathSeparator, -1)) {
      Path candidate = Path.of(directory, "taskset");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The CPUs of {@code Cpus_allowed_list} in {@code /proc/self/status}, such as {@code 0-3,6}. */
  private static List<Integer> allowedCpus() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Cpus_allowed_list:")) {
        return parseList(line.substring("Cpus_allowed_list:".length()).strip());
      }
    }
    throw new IOException("no Cpus_allowed_list in /proc/self/status");
  }

  /** Expands a CPU list such as {@code 0-3,6} into its numbers. */
  static List<Integer> parseList(String list) {
    List<Integer> cpus = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      String[] range = part.strip().split("-", -1);
      int from = Integer.parseInt(range[0]);
      int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
      for (int cpu = from; cpu <= to; cpu++) {
        cpus.add(cpu);
      }
    }
    return cpus;
  }

  private static String list(List<Integer> cpus) {
    return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
