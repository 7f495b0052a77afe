package io.github.concurrencycourse.testkit;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The threads and child processes alive in this JVM at one moment, for finding those that code
 * under test started and left behind.
 *
 * <p>Take a snapshot before the code runs and ask {@link #startedSince()} afterwards, usually
 * inside an Awaitility {@code untilAsserted} with {@code pollInSameThread()}, since threads take a
 * moment to end. The census covers:
 *
 * <ul>
 *   <li>platform threads, except the JVM's own: those outside the thread group tree that the
 *       calling thread belongs to (reference handler, cleaner, carrier threads of virtual threads,
 *       the common pool, the process reaper all live in the {@code system} group's other branches);
 *   <li>virtual threads, read from the JVM's JSON thread dump ({@link HotSpotDiagnosticMXBean}),
 *       except the JDK's I/O pollers; on a JVM without that bean, virtual threads are not seen;
 *   <li>child processes of this JVM.
 * </ul>
 *
 * <p>The thread calling {@link #startedSince()} is never reported, so a test framework that runs
 * each test method in a fresh thread does not count as a leak. Immutable and thread-safe.
 */
public final class ThreadSnapshot {

  /** The JDK's own virtual threads: the I/O pollers started on first use of a virtual socket. */
  private static final Pattern JDK_VIRTUAL_THREADS = Pattern.compile(".*Poller.*");

  private final Map<Long, LiveThread> threads;
  private final Set<Long> childProcesses;

  private ThreadSnapshot(Map<Long, LiveThread> threads, Set<Long> childProcesses) {
    this.threads = threads;
    this.childProcesses = childProcesses;
  }

  /** Takes a census of the threads and child processes alive now. */
  public static ThreadSnapshot take() {
    return new ThreadSnapshot(
        liveThreads(),
        ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet()));
  }

  /**
   * The threads and child processes alive now that were not alive at this snapshot, each described
   * by kind, name and id, for example {@code "platform thread echo-connection-3 (#41)"}.
   */
  public List<String> startedSince() {
    return startedSince(name -> false);
  }

  /**
   * As {@link #startedSince()}, leaving out the threads whose names {@code shared} accepts: those a
   * library shares with the whole JVM and keeps on purpose.
   */
  public List<String> startedSince(Predicate<String> shared) {
    List<String> found = new ArrayList<>();
    long caller = Thread.currentThread().threadId();
    for (LiveThread thread : liveThreads().values()) {
      if (thread.id() != caller
          && !threads.containsKey(thread.id())
          && !shared.test(thread.name())) {
        found.add(thread.toString());
      }
    }
    ProcessHandle.current()
        .children()
        .filter(child -> !childProcesses.contains(child.pid()))
        .forEach(
            child ->
                found.add(
                    "child process "
                        + child.pid()
                        + " "
                        + child.info().commandLine().orElse("(command unknown)")));
    return found;
  }

  private record LiveThread(long id, boolean virtual, String name) {
    @Override
    public String toString() {
      return (virtual ? "virtual" : "platform") + " thread " + name + " (#" + id + ")";
    }
  }

  private static Map<Long, LiveThread> liveThreads() {
    Map<Long, LiveThread> live = new LinkedHashMap<>();
    ThreadGroup ours = topLevelGroup(Thread.currentThread());
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && Objects.equals(topLevelGroup(thread), ours)) {
        live.put(thread.threadId(), new LiveThread(thread.threadId(), false, thread.getName()));
      }
    }
    for (LiveThread thread : virtualThreads()) {
      live.put(thread.id(), thread);
    }
    return live;
  }

  /** The group just below the root group (normally {@code main} for user threads). */
  private static ThreadGroup topLevelGroup(Thread thread) {
    ThreadGroup group = thread.getThreadGroup();
    while (group != null && group.getParent() != null && group.getParent().getParent() != null) {
      group = group.getParent();
    }
    return group;
  }

  private static List<LiveThread> virtualThreads() {
    HotSpotDiagnosticMXBean diagnostics;
    try {
      diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    } catch (IllegalArgumentException notHotSpot) {
      return List.of();
    }
    if (diagnostics == null) {
      return List.of();
    }
    Path dump = null;
    try {
      Path directory = Files.createTempDirectory("thread-snapshot");
      dump = directory.resolve("threads.json");
      diagnostics.dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      return parseVirtualThreads(JsonMapper.shared().readTree(dump));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take a thread dump", e);
    } finally {
      deleteQuietly(dump);
    }
  }

  private static List<LiveThread> parseVirtualThreads(JsonNode dump) {
    List<LiveThread> found = new ArrayList<>();
    for (JsonNode container : dump.path("threadDump").path("threadContainers").values()) {
      for (JsonNode thread : container.path("threads").values()) {
        String name = thread.path("name").asString("");
        if (thread.path("virtual").asBoolean(false)
            && !JDK_VIRTUAL_THREADS.matcher(name).matches()) {
          found.add(new LiveThread(thread.path("tid").asLong(), true, name));
        }
      }
    }
    return found;
  }

  private static void deleteQuietly(Path dump) {
    if (dump == null) {
      return;
    }
    try {
      Files.deleteIfExists(dump);
      Files.deleteIfExists(dump.getParent());
    } catch (IOException e) {
      // A leftover file in the temp directory is harmless; the census itself succeeded.
    }
  }
}
