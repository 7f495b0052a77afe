package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Cell;
import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Memory;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/** The comparison as Markdown tables: each cell beside the reference model's, and the memory. */
final class ComparisonTable {

  private ComparisonTable() {}

  /**
   * One row per cell, ordered by message size, connections and model, with requests/s and p99 as
   * ratios to {@code reference}'s in the same cell (a dash where the reference has no figure). A
   * cell without a measurement gives its reason where the requests/s would be; a measured cell's
   * remarks are in the last column: <b>client-bound</b> when the load generator was at least
   * {@value IoModelsComparison#CLIENT_BOUND_PERCENT} % busy (the figure is the generator's limit,
   * and a ratio to or from it says little), and whether every connection was served.
   */
  static String cells(List<Cell> cells, String reference) {
    StringBuilder out = new StringBuilder();
    out.append("| msg | conns | model | req/s | × ")
        .append(reference)
        .append(" | MB/s | p50 µs | p99 µs | p99 × ")
        .append(reference)
        .append(
            " | p99.9 µs | max µs | errors | mismatches | server CPU µs/req | client CPU % | note"
                + " |\n");
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    List<Cell> ordered =
        cells.stream()
            .sorted(
                Comparator.comparingInt(Cell::messageSize)
                    .thenComparingInt(Cell::connections)
                    .thenComparing(c -> !c.model().equals(reference))
                    .thenComparing(Cell::model))
            .toList();
    for (Cell cell : ordered) {
      out.append("| ")
          .append(size(cell.messageSize()))
          .append(" | ")
          .append(cell.connections())
          .append(" | ")
          .append(cell.model())
          .append(" | ");
      if (cell.result().isEmpty()) {
        out.append(cell.note()).append(" | | | | | | | | | | | | |\n");
        continue;
      }
      EchoLoadGenerator.Result r = cell.result().get();
      Optional<EchoLoadGenerator.Result> base = referenceOf(cells, cell, reference);
      Histogram latency = r.latencyMicros();
      long p99 = latency.getValueAtPercentile(99);
      out.append(
          String.format(
              Locale.ROOT,
              "%.0f | %s | %.1f | %d | %d | %s | %d | %d | %d | %d | %.1f | %.0f |",
              r.requestsPerSecond(),
              base.map(b -> ratio(r.requestsPerSecond(), b.requestsPerSecond())).orElse("–"),
              r.megabytesPerSecond(),
              latency.getValueAtPercentile(50),
              p99,
              base.map(
                      b -> ratio((double) p99, (double) b.latencyMicros().getValueAtPercentile(99)))
                  .orElse("–"),
              latency.getValueAtPercentile(99.9),
              latency.getMaxValue(),
              r.errors(),
              r.mismatches(),
              cell.cpuMicrosPerRequest(),
              cell.clientBusy() * 100));
      String note = cell.clientBound() ? ("client-bound " + cell.note()).strip() : cell.note();
      out.append(note.isEmpty() ? "" : " " + note).append(" |\n");
    }
    return out.toString();
  }

  /** One row per model: resident memory per connection, open and answered once. */
  static String memory(List<Memory> memory) {
    StringBuilder out = new StringBuilder();
    out.append("| model | connections | resident KiB per connection |\n");
    out.append("|---|---:|---:|\n");
    for (Memory m : memory) {
      out.append("| ").append(m.model()).append(" | ").append(m.connections()).append(" | ");
      out.append(
              m.residentKibPerConnection().isPresent()
                  ? String.format(Locale.ROOT, "%.1f", m.residentKibPerConnection().getAsDouble())
                  : m.note())
          .append(" |\n");
    }
    return out.toString();
  }

  /** {@code 64 B} or {@code 64 KiB}. */
  static String size(int bytes) {
    return bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
  }

  private static Optional<EchoLoadGenerator.Result> referenceOf(
      List<Cell> cells, Cell cell, String reference) {
    return cells.stream()
        .filter(
            c ->
                c.model().equals(reference)
                    && c.connections() == cell.connections()
                    && c.messageSize() == cell.messageSize())
        .findFirst()
        .flatMap(Cell::result);
  }

  private static String ratio(double value, double reference) {
    return reference <= 0 ? "–" : String.format(Locale.ROOT, "%.2f", value / reference);
  }
}
