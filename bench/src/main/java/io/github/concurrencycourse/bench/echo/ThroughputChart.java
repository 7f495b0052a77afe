package io.github.concurrencycourse.bench.echo;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An SVG line chart of requests/s against connections (log scale), one line per model, for one
 * message size. Hand-written SVG: a dozen lines of markup do not need a chart library.
 */
final class ThroughputChart {

  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;
  private static final int LEFT = 80;
  private static final int RIGHT = 170;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final String[] COLOURS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#000000"
  };

  private ThroughputChart() {}

  static String svg(List<IoModelsComparison.Row> rows, int messageSize) {
    Map<String, TreeMap<Integer, Double>> lines =
        rows.stream()
            .filter(
                r -> r.messageSize() == messageSize && r.result().isPresent() && r.note().isEmpty())
            .collect(
                Collectors.groupingBy(
                    IoModelsComparison.Row::model,
                    TreeMap::new,
                    Collectors.toMap(
                        IoModelsComparison.Row::connections,
                        r -> r.result().orElseThrow().requestsPerSecond(),
                        (a, b) -> a,
                        TreeMap::new)));
    double maxRate =
        lines.values().stream()
            .flatMap(m -> m.values().stream())
            .mapToDouble(Double::doubleValue)
            .max()
            .orElse(1);
    int maxConnections =
        lines.values().stream().mapToInt(m -> m.isEmpty() ? 1 : m.lastKey()).max().orElse(1);
    double logMax = Math.max(1, Math.log10(maxConnections));
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;

    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"20\" font-size=\"14\">Echo servers: requests/s against connections, %d-byte messages</text>%n",
            LEFT,
            messageSize));
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
            LEFT,
            TOP,
            LEFT,
            TOP + plotHeight,
            LEFT,
            TOP + plotHeight,
            LEFT + plotWidth,
            TOP + plotHeight));
    for (int tick = 0; tick <= 4; tick++) {
      double rate = maxRate * tick / 4;
      int y = TOP + plotHeight - (int) (plotHeight * tick / 4.0);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text>%n",
              LEFT - 6,
              y + 4,
              rate));
    }
    for (int n = 1; n <= maxConnections; n *= 10) {
      int x = LEFT + (int) (plotWidth * Math.log10(n) / logMax);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
              x,
              TOP + plotHeight + 18,
              n));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">connections (log scale)</text>%n",
            LEFT + plotWidth / 2,
            HEIGHT - 10));
    int index = 0;
    for (Map.Entry<String, TreeMap<Integer, Double>> line : lines.entrySet()) {
      String colour = COLOURS[index % COLOURS.length];
      StringBuilder points = new StringBuilder();
      for (Map.Entry<Integer, Double> point : line.getValue().entrySet()) {
        int x = LEFT + (int) (plotWidth * Math.log10(point.getKey()) / logMax);
        int y = TOP + plotHeight - (int) (plotHeight * point.getValue() / maxRate);
        points.append(x).append(',').append(y).append(' ');
        svg.append(
            String.format(
                Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>%n", x, y, colour));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
              colour,
              points.toString().trim()));
      int legendY = TOP + 16 * index;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
              WIDTH - RIGHT + 16,
              legendY,
              colour,
              WIDTH - RIGHT + 34,
              legendY + 5,
              line.getKey()));
      index++;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }
}
