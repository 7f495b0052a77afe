package io.github.concurrencycourse.bench.echo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The comparison as a Markdown table, each model's requests/s and p99 beside the reference's. */
final class MarkdownTable {

  private MarkdownTable() {}

  static String render(List<IoModelsComparison.Row> rows, String reference) {
    StringBuilder out = new StringBuilder();
    out.append("| model | conns | msg | req/s | × ")
        .append(reference)
        .append(" | MB/s | p50 µs | p99 µs | p99 × ")
        .append(reference)
        .append(
            " | p99.9 µs | max µs | errors | mismatches | server CPU µs/req | RSS KiB/conn |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (IoModelsComparison.Row row : rows) {
      Optional<EchoLoadGenerator.Result> base =
          rows.stream()
              .filter(
                  r ->
                      r.model().equals(reference)
                          && r.connections() == row.connections()
                          && r.messageSize() == row.messageSize())
              .findFirst()
              .flatMap(IoModelsComparison.Row::result);
      out.append("| ")
          .append(row.model())
          .append(" | ")
          .append(row.connections())
          .append(" | ")
          .append(
              row.messageSize() >= 1024
                  ? row.messageSize() / 1024 + " KiB"
                  : row.messageSize() + " B")
          .append(" | ");
      if (row.result().isEmpty() || !row.note().isEmpty()) {
        out.append(row.note()).append(" | | | | | | | | | | | |\n");
        continue;
      }
      EchoLoadGenerator.Result r = row.result().get();
      long p99 = r.latencyMicros().getValueAtPercentile(99);
      out.append(
          String.format(
              Locale.ROOT,
              "%.0f | %s | %.1f | %d | %d | %s | %d | %d | %d | %d | %.1f | %s |%n",
              r.requestsPerSecond(),
              base.map(b -> ratio(r.requestsPerSecond(), b.requestsPerSecond())).orElse("–"),
              r.megabytesPerSecond(),
              r.latencyMicros().getValueAtPercentile(50),
              p99,
              base.map(
                      b -> ratio((double) p99, (double) b.latencyMicros().getValueAtPercentile(99)))
                  .orElse("–"),
              r.latencyMicros().getValueAtPercentile(99.9),
              r.latencyMicros().getMaxValue(),
              r.errors(),
              r.mismatches(),
              row.cpuMicrosPerRequest(),
              row.connections() >= 100
                  ? String.format(Locale.ROOT, "%.1f", row.rssKibPerConnection())
                  : "–"));
    }
    return out.toString();
  }

  private static String ratio(double value, double reference) {
    return reference <= 0 ? "–" : String.format(Locale.ROOT, "%.2f", value / reference);
  }
}
