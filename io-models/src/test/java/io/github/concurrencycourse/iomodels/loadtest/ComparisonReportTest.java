package io.github.concurrencycourse.iomodels.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Cell;
import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Memory;
import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Plan;
import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Report;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ComparisonReportTest {

  private static final Plan PLAN =
      new Plan(
          List.of("netty-nio", "selector", "blocking"),
          List.of(1, 100),
          List.of(64),
          1,
          Duration.ZERO,
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1));

  /** A cell of {@code requests} replies in one second, each taking {@code micros}. */
  private static Cell measured(String model, int connections, long requests, long micros) {
    Histogram latency = new Histogram(3);
    latency.recordValueWithCount(micros, requests);
    EchoLoadGenerator.Result result =
        new EchoLoadGenerator.Result(
            connections,
            new EchoLoadGenerator.Load(64, 1),
            requests,
            Duration.ofSeconds(1),
            latency,
            0,
            0,
            connections);
    return new Cell(model, connections, 64, Optional.of(result), "", 12.5, 0.4);
  }

  private static final Report REPORT =
      new Report(
          PLAN,
          "load generator on CPU 0, each server on CPU 1; 1 load thread",
          List.of(
              measured("selector", 1, 30_000, 40),
              measured("netty-nio", 1, 20_000, 50),
              measured("blocking", 1, 10_000, 100),
              measured("selector", 100, 50_000, 2_000),
              measured("netty-nio", 100, 40_000, 4_000),
              Cell.unmeasured("blocking", 100, 64, "answered 1 of 100 at once"),
              new Cell(
                  "pool",
                  100,
                  64,
                  measured("pool", 100, 0, 1).result(),
                  "served 0 of 100 in the window",
                  Double.NaN,
                  0.3)),
          List.of(
              new Memory("netty-nio", 100, OptionalDouble.of(4.25), ""),
              new Memory("blocking", 2, OptionalDouble.empty(), "answered 1 of 100")));

  @Test
  void theTableGivesEachCellAsARatioToTheReferenceInTheSameCell() {
    List<String> lines = REPORT.markdown().lines().toList();

    assertThat(lines.get(0)).contains("× netty-nio", "p99 × netty-nio").endsWith("| note |");
    // Every row has as many cells as the header, or Markdown would drop the note column.
    long columns = lines.get(0).chars().filter(c -> c == '|').count();
    assertThat(lines)
        .allSatisfy(line -> assertThat(line.chars().filter(c -> c == '|')).hasSize((int) columns));
    assertThat(lines).hasSize(2 + 7);
    // Ordered by size, connections, the reference first, then by name.
    assertThat(lines.get(2)).startsWith("| 64 B | 1 | netty-nio | 20000 | 1.00 |");
    assertThat(lines.get(3)).startsWith("| 64 B | 1 | blocking | 10000 | 0.50 |");
    assertThat(lines.get(4)).startsWith("| 64 B | 1 | selector | 30000 | 1.50 |");
    assertThat(lines.get(4)).contains("| 40 | 0.80 |");
    assertThat(lines.get(6)).startsWith("| 64 B | 100 | blocking | answered 1 of 100");
    assertThat(lines.get(7))
        .startsWith("| 64 B | 100 | pool | 0 | 0.00 |")
        .endsWith("| served 0 of 100 in the window |");
    assertThat(lines.get(8)).startsWith("| 64 B | 100 | selector | 50000 | 1.25 |");
    assertThat(lines.get(8)).contains("| 0.50 |");
  }

  @Test
  void aCellWhereTheLoadGeneratorWasBusyIsMarkedClientBoundInTheTableAndTheChart()
      throws Exception {
    Cell bound = withClientBusy(measured("selector", 100, 50_000, 2_000), 0.95);
    Cell justBelow = withClientBusy(measured("netty-nio", 100, 40_000, 4_000), 0.89);
    Report report = new Report(PLAN, "rig", List.of(bound, justBelow), List.of());

    assertThat(bound.clientBound()).isTrue();
    assertThat(justBelow.clientBound()).isFalse();
    assertThat(report.markdown().lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("| 64 B | 100 | selector |")
                    .endsWith("| 95 | client-bound |"))
        .anySatisfy(
            line -> assertThat(line).startsWith("| 64 B | 100 | netty-nio |").endsWith("| 89 | |"));

    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(report.svg().getBytes(StandardCharsets.UTF_8)));
    NodeList circles = svg.getElementsByTagName("circle");
    long hollow = 0;
    for (int i = 0; i < circles.getLength(); i++) {
      if (((Element) circles.item(i)).getAttribute("fill").equals("white")) {
        hollow++;
      }
    }
    // The selector's point in each of the two panels, and the legend's.
    assertThat(hollow).isEqualTo(2 + 1);
    assertThat(report.svg()).contains("client-bound");
  }

  private static Cell withClientBusy(Cell cell, double busy) {
    return new Cell(
        cell.model(),
        cell.connections(),
        cell.messageSize(),
        cell.result(),
        cell.note(),
        cell.cpuMicrosPerRequest(),
        busy);
  }

  @Test
  void theMemoryTableGivesTheFigureOrWhyThereIsNone() {
    assertThat(REPORT.memoryMarkdown())
        .contains("| netty-nio | 100 | 4.3 |")
        .contains("| blocking | 2 | answered 1 of 100 |");
  }

  @Test
  void theChartHasAThroughputAndALatencyLineForEveryMeasuredModel() throws Exception {
    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(REPORT.svg().getBytes(StandardCharsets.UTF_8)));

    assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    // Two axes per panel, plus a line per model with replies: 2 panels × (1 + 3 models).
    assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(2 * (1 + 3));
    // A point per cell with replies in each panel: 5 such cells × 2 panels; pool had none. One
    // more in the legend, for client-bound points.
    assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(5 * 2 + 1);
    assertThat(REPORT.svg()).contains("requests/s, 64 B messages", "p99 latency µs, 64 B messages");
  }
}
