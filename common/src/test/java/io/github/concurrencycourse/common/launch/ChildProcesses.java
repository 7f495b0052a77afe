package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * What the multi-process tests share: small child JVMs, a collector for their prefixed lines, and a
 * register of every process a test started, killed in its {@code @AfterEach}.
 */
public final class ChildProcesses implements AutoCloseable {

  /** Child JVMs that start fast and stay small; the tests' children do little work. */
  public static final List<String> SMALL_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k");

  /** How long a child JVM may take to do a test's little job on a busy two-core machine. */
  public static final Duration CHILD_TIME = Duration.ofSeconds(30);

  private final List<WorkerProcess> workers = new ArrayList<>();
  private final List<Long> otherPids = new ArrayList<>();

  /** Remembers {@code worker} for clean-up and returns it. */
  public synchronized WorkerProcess track(WorkerProcess worker) {
    workers.add(worker);
    return worker;
  }

  /** The workers remembered so far, in the order they were. */
  public synchronized List<WorkerProcess> tracked() {
    return List.copyOf(workers);
  }

  /** Remembers a process the test did not start itself, such as a grandchild. */
  public synchronized long trackPid(long pid) {
    otherPids.add(pid);
    return pid;
  }

  /** Kills every remembered process tree and waits for the workers to exit. */
  @Override
  public synchronized void close() {
    for (WorkerProcess worker : workers) {
      worker.kill();
    }
    for (long pid : otherPids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (WorkerProcess worker : workers) {
      worker.close();
    }
  }

  /**
   * Whether {@code pid} is a running process. A process that has exited but not been reaped (a
   * zombie, as an orphan is when its new parent does not reap it) is not running, although {@link
   * ProcessHandle#isAlive()} may still say it is alive.
   */
  public static boolean isRunning(long pid) {
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      try {
        String stat =
            Files.readString(
                Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
      } catch (NoSuchFileException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  /** Collects the lines of workers started with {@link #output()}. Thread-safe. */
  public static final class Lines {

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    /** The output that collects here. */
    public WorkerOutput output() {
      return WorkerOutput.prefixedLines(lines::add);
    }

    /** Every line so far. */
    public List<String> all() {
      return List.copyOf(lines);
    }

    /** Waits for a line matching {@code pattern} and returns its first group. */
    public String await(Pattern pattern) {
      return await(pattern, CHILD_TIME);
    }

    /** Waits up to {@code timeout} for a line matching {@code pattern}; returns its first group. */
    public String await(Pattern pattern, Duration timeout) {
      Predicate<String> matches = line -> pattern.matcher(line).find();
      Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(20))
          .alias("a line matching " + pattern + " in " + lines)
          .until(() -> lines.stream().anyMatch(matches));
      String line = lines.stream().filter(matches).findFirst().orElseThrow();
      Matcher matcher = pattern.matcher(line);
      if (!matcher.find()) {
        throw new AssertionError("line " + line + " stopped matching " + pattern);
      }
      return matcher.groupCount() > 0 ? matcher.group(1) : line;
    }

    @Override
    public String toString() {
      return lines.toString();
    }
  }
}
