package io.github.concurrencycourse.processes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcessLock} between JVMs, in the manner of Lucene's {@code TestStressLockFactories}:
 * children fight for one lock and an observer checks the result; every child is killed in the end.
 * The mutex it is made of is tested between JVMs in {@code common}'s {@code FileMutexProcessTest}.
 */
@Timeout(120)
class ProcessLockProcessTest {

  private static final List<String> SMALL_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k");
  private static final Duration CHILD_TIME = Duration.ofSeconds(60);

  @TempDir Path directory;

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<WorkerProcess> children = new ArrayList<>();

  @AfterEach
  void killEveryChild() {
    children.forEach(WorkerProcess::close);
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void threadsOfSeveralJvmsNeverLoseAnUpdateOfASharedFile() throws Exception {
    Path lockFile = directory.resolve("counter.lock");
    Path counter = directory.resolve("counter.txt");
    Files.writeString(counter, "0");
    int jvms = 3;
    int threads = 2;
    int rounds = 40;
    for (int i = 0; i < jvms; i++) {
      children.add(
          launcher("incrementer-" + i)
              .start(
                  Incrementer.class,
                  lockFile.toString(),
                  counter.toString(),
                  String.valueOf(threads),
                  String.valueOf(rounds)));
    }
    for (WorkerProcess child : children) {
      assertThat(child.join(CHILD_TIME)).as(child.name()).isTrue();
      assertThat(child.exitValue()).as(child.name() + " " + lines).isZero();
    }

    // Every increment is a read, a pause and a write: one overlap would lose an update.
    assertThat(Files.readString(counter)).isEqualTo(String.valueOf(jvms * threads * rounds));
  }

  private WorkerLauncher launcher(String name) {
    return WorkerLauncher.builder()
        .name(name)
        .daemon(true)
        .jvmOptions(SMALL_JVM)
        .output(WorkerOutput.prefixedLines(lines::add))
        .build();
  }

  /** Increments the counter file under the lock. Arguments: lock, counter, threads, rounds. */
  static final class Incrementer implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      ProcessLock lock = ProcessLock.at(Path.of(arguments.get(0)));
      Path counter = Path.of(arguments.get(1));
      int rounds = Integer.parseInt(arguments.get(3));
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      for (int t = 0; t < Integer.parseInt(arguments.get(2)); t++) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        for (int i = 0; i < rounds; i++) {
                          try (ProcessLock.Held held = lock.acquire()) {
                            int value = Integer.parseInt(Files.readString(counter));
                            Thread.sleep(1); // widens the window an overlap would need
                            Files.writeString(counter, String.valueOf(value + 1));
                            assertThat(held.isValid()).isTrue();
                          }
                        }
                      } catch (Exception | AssertionError e) {
                        failures.add(e);
                      }
                    }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      if (!failures.isEmpty()) {
        throw new IllegalStateException("an incrementer failed", failures.get(0));
      }
    }
  }
}
