package io.github.concurrencycourse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * What {@link Python} does when the interpreter is missing, in and out of CI, and how it runs one.
 * The runs use {@code bash} as a stand-in interpreter (it answers {@code --version} and takes
 * {@code -c} as Python does), so they are proven on a machine without Python too.
 */
@Timeout(60)
class PythonTest {

  private static final String MISSING = "python3-that-is-not-installed";
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aMissingInterpreterSkipsTheTestAndSaysWhy() {
    assertThatThrownBy(() -> Python.require(MISSING, Map.of()))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining(MISSING + " cannot be run (not found on the PATH")
        .hasMessageContaining("skipped");
    assertThatThrownBy(() -> Python.require(MISSING, Map.of("CI", "false")))
        .isInstanceOf(TestAbortedException.class);
  }

  @Test
  void aMissingInterpreterFailsTheTestUnderCi() {
    for (String ci : new String[] {"true", "TRUE"}) {
      assertThatThrownBy(() -> Python.require(MISSING, Map.of("CI", ci)))
          .isInstanceOf(AssertionFailedError.class)
          .hasMessageContaining(MISSING + " cannot be run (not found on the PATH")
          .hasMessageContaining("under CI (CI=true)")
          .hasMessageContaining("install " + MISSING);
    }
  }

  @Test
  void anInterpreterWhoseVersionProbeFailsCountsAsMissing() {
    // `false` exists but exits 1, as a broken python3 shim does.
    assertThatThrownBy(() -> Python.require("false", Map.of()))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("'false --version' exited with 1");
  }

  @Test
  void runReturnsWhatItPrintedOnBothStreamsInUtf8FromTheGivenDirectory() throws Exception {
    String printed =
        standIn()
            .run(
                dir,
                LIMIT,
                "-c",
                "pwd; printf '%s\\n' \"$PYTHONIOENCODING\" 演唱会; echo to-stderr >&2; cat");

    assertThat(printed.lines())
        .containsExactly(dir.toRealPath().toString(), "utf-8", "演唱会", "to-stderr");
  }

  @Test
  void aNonZeroExitFailsWithTheOutput() {
    assertThatThrownBy(() -> standIn().run(dir, LIMIT, "-c", "echo Traceback; exit 3"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("exited with 3: Traceback");
  }

  @Test
  void aRunThatOutlivesItsLimitIsKilledWithItsChildrenAndFails() {
    ThreadSnapshot before = ThreadSnapshot.take();

    Throwable failure =
        catchThrowable(
            () -> standIn().run(dir, Duration.ofMillis(500), "-c", "sleep 60 & echo $!; wait"));

    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageMatching("(?s)bash -c .* did not end within PT0\\.5S; it printed: \\d+.*");
    long grandchild =
        Long.parseLong(failure.getMessage().replaceAll("(?s).*printed: (\\d+).*", "$1"));
    assertThat(before.startedSince()).isEmpty();
    // The grandchild, an orphan once killed, is reaped by whichever process adopted it.
    await()
        .pollInSameThread()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive).isEmpty());
  }

  @Test
  void theRealPython3RunsTheSeedsJsonCode() throws Exception {
    Python python = Python.require();

    assertThat(python.run(dir, LIMIT, "-c", "import json; print(json.dumps({'count': 3}))"))
        .isEqualTo("{\"count\": 3}");
  }

  private static Python standIn() {
    return Python.require("bash", Map.of());
  }
}
