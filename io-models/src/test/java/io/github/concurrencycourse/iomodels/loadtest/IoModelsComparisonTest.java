package io.github.concurrencycourse.iomodels.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Cell;
import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Plan;
import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Report;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class IoModelsComparisonTest {

  @Test
  void theReferenceComesFirstAmongTheModelsOnTheClassPath() {
    assertThat(IoModelsComparison.availableModels())
        .startsWith(IoModelsComparison.REFERENCE, IoModelsComparison.CEILING)
        .contains("selector", "async", "blocking", "non-blocking", "netty-epoll");
  }

  @Test
  @Timeout(120)
  void measuresEveryCellOfEveryModelEachInItsOwnJvm() throws Exception {
    Plan plan =
        new Plan(
            List.of("netty-nio", "blocking", IoModelsComparison.CEILING),
            List.of(1, 4),
            List.of(64, 4096),
            2,
            // Long enough for replies in every cell while other builds share the two cores and
            // each JVM gets a fraction of its pinned one.
            Duration.ofMillis(100),
            Duration.ofMillis(600),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10));
    List<String> progress = new CopyOnWriteArrayList<>();

    Report report = IoModelsComparison.run(plan, progress::add);

    assertThat(report.cells()).hasSize(3 * 2 * 2);
    for (Cell cell : report.cells()) {
      if (cell.model().equals("blocking") && cell.connections() == 4) {
        assertThat(cell.result()).isEmpty();
        assertThat(cell.note()).startsWith("answered 1 of 4 at once, gave up after ");
      } else {
        assertThat(cell.result()).as(cell.toString()).isPresent();
        EchoLoadGenerator.Result result = cell.result().orElseThrow();
        assertThat(result.requests()).isPositive();
        assertThat(result.load().inFlight()).isEqualTo(2);
        assertThat(result.errors()).isZero();
        assertThat(result.mismatches()).isZero();
        // /proc counts CPU time in ticks of 10 ms: the ceiling may use less than one in a window.
        assertThat(cell.cpuMicrosPerRequest()).isNotNegative().isFinite();
        assertThat(cell.clientBusy()).isPositive();
      }
    }
    assertThat(report.rig()).contains("load thread");
    assertThat(report.memory()).hasSize(3);
    assertThat(report.memory().get(0).residentKibPerConnection()).isPresent();
    assertThat(report.memory().get(1).residentKibPerConnection()).isEmpty();
    assertThat(report.markdown()).contains("| 64 B | 4 | netty-nio |", "| 1.00 |");
    assertThat(progress).anyMatch(line -> line.contains("netty-nio") && line.contains("req/s"));
    assertThat(ProcessHandle.current().children()).isEmpty();
  }

  @Test
  void anUnknownModelIsRefusedBeforeAnythingStarts() {
    Plan plan = Plan.quick(List.of("selector", "carrier-pigeon"));

    assertThatThrownBy(() -> IoModelsComparison.run(plan, line -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("carrier-pigeon")
        .hasMessageContaining("selector");
  }

  @Test
  void aPlanMustHaveSomethingToMeasure() {
    assertThatThrownBy(() -> plan(List.of(), 1, 64, 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("models, connections and messageSizes must not be empty");
    assertThatThrownBy(() -> plan(List.of("selector"), 0, 64, 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connections, sizes and inFlight must be positive");
    assertThatThrownBy(() -> plan(List.of("selector"), 1, 0, 1, Duration.ofSeconds(1)))
        .hasMessage("connections, sizes and inFlight must be positive");
    assertThatThrownBy(() -> plan(List.of("selector"), 1, 64, 0, Duration.ofSeconds(1)))
        .hasMessage("connections, sizes and inFlight must be positive");
    assertThatThrownBy(() -> plan(List.of("selector"), 1, 64, 1, Duration.ZERO))
        .hasMessage("durations must be positive (the warm-up may be zero)");
    assertThat(plan(List.of("selector"), 1, 64, 1, Duration.ofSeconds(1)).warmUp()).isZero();
  }

  /** A plan with no warm-up, and the same duration for measuring, stalling and the limit. */
  private static Plan plan(
      List<String> models, int connections, int messageSize, int inFlight, Duration duration) {
    return new Plan(
        models,
        List.of(connections),
        List.of(messageSize),
        inFlight,
        Duration.ZERO,
        duration,
        duration,
        duration);
  }
}
