package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Cell;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The comparison as an SVG chart: one row of two panels per message size, requests/s (linear) and
 * p99 latency (log scale) against connections (log scale), one line per model in the same colour
 * everywhere. Cells without a measurement, or without a reply in the window, are left out of their
 * model's line. A client-bound cell is drawn as a hollow point, and the legend says what that
 * means, so that nobody reads the generator's limit as the server's. Hand-written SVG: a few dozen
 * elements do not need a chart library.
 */
final class ComparisonChart {

  private static final int PANEL_WIDTH = 420;
  private static final int PANEL_HEIGHT = 280;
  private static final int LEFT = 70;
  private static final int TOP = 50;
  private static final int GAP = 90;
  private static final int LEGEND = 170;
  private static final String[] COLOURS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#000000", "#aec7e8"
  };

  private ComparisonChart() {}

  static String svg(List<Cell> cells, List<Integer> messageSizes, String rig) {
    List<String> models = cells.stream().map(Cell::model).distinct().sorted().toList();
    int width = LEFT + 2 * PANEL_WIDTH + GAP + LEGEND;
    int height = TOP + messageSizes.size() * (PANEL_HEIGHT + GAP);
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                + "<text x=\"%d\" y=\"22\" font-size=\"16\">Echo servers against connections"
                + " (each server in its own JVM, same load)</text>%n"
                + "<text x=\"%d\" y=\"38\" font-size=\"11\">%s</text>%n",
            width,
            height,
            LEFT,
            LEFT,
            escape(rig)));
    for (int row = 0; row < messageSizes.size(); row++) {
      int size = messageSizes.get(row);
      int y = TOP + row * (PANEL_HEIGHT + GAP);
      String label = ComparisonTable.size(size) + " messages";
      Panel throughput = new Panel(LEFT, y, "requests/s, " + label, false);
      Panel latency = new Panel(LEFT + PANEL_WIDTH + GAP, y, "p99 latency µs, " + label, true);
      Set<Point> clientBound = clientBound(cells, size);
      throughput.draw(svg, lines(cells, size, r -> r.requestsPerSecond()), models, clientBound);
      latency.draw(
          svg,
          lines(cells, size, r -> r.latencyMicros().getValueAtPercentile(99)),
          models,
          clientBound);
    }
    int legendX = LEFT + 2 * PANEL_WIDTH + GAP + 20;
    for (int i = 0; i < models.size(); i++) {
      int y = TOP + 20 + 18 * i;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>%n",
              legendX,
              y - 4,
              colour(i),
              legendX + 20,
              y,
              models.get(i)));
    }
    int noteY = TOP + 20 + 18 * models.size() + 10;
    svg.append(
        String.format(
            Locale.ROOT,
            "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"white\" stroke=\"black\"/>"
                + "<text x=\"%d\" y=\"%d\">client-bound: the</text>%n"
                + "<text x=\"%d\" y=\"%d\">load generator was</text>%n"
                + "<text x=\"%d\" y=\"%d\">&#8805; %d %% busy</text>%n",
            legendX + 7,
            noteY - 4,
            legendX + 20,
            noteY,
            legendX + 20,
            noteY + 14,
            legendX + 20,
            noteY + 28,
            IoModelsComparison.CLIENT_BOUND_PERCENT));
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** For each model, its measured value at each connection count, for one message size. */
  private static Map<String, NavigableMap<Integer, Double>> lines(
      List<Cell> cells, int size, ToDoubleFunction<EchoLoadGenerator.Result> value) {
    return cells.stream()
        .filter(
            c ->
                c.messageSize() == size
                    && c.result().isPresent()
                    && c.result().orElseThrow().requests() > 0)
        .collect(
            Collectors.groupingBy(
                Cell::model,
                TreeMap::new,
                Collectors.toMap(
                    Cell::connections,
                    c -> value.applyAsDouble(c.result().orElseThrow()),
                    (a, b) -> a,
                    TreeMap::new)));
  }

  /** A model's cell at a connection count. */
  private record Point(String model, int connections) {}

  private static Set<Point> clientBound(List<Cell> cells, int size) {
    return cells.stream()
        .filter(c -> c.messageSize() == size && c.clientBound())
        .map(c -> new Point(c.model(), c.connections()))
        .collect(Collectors.toSet());
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String colour(int index) {
    return COLOURS[index % COLOURS.length];
  }

  /** One plot: axes, ticks and a polyline per model. */
  private record Panel(int x, int y, String title, boolean logValues) {

    void draw(
        StringBuilder svg,
        Map<String, NavigableMap<Integer, Double>> lines,
        List<String> models,
        Set<Point> clientBound) {
      double max = positive(lines, true);
      double min = logValues ? positive(lines, false) : 0;
      int maxConnections =
          lines.values().stream().mapToInt(l -> l.isEmpty() ? 1 : l.lastKey()).max().orElse(10);
      double logConnections = Math.max(1, Math.log10(maxConnections));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n"
                  + "<polyline fill=\"none\" stroke=\"black\" points=\"%d,%d %d,%d %d,%d\"/>%n",
              x,
              y - 8,
              title,
              x,
              y,
              x,
              y + PANEL_HEIGHT,
              x + PANEL_WIDTH,
              y + PANEL_HEIGHT));
      for (int tick = 0; tick <= 4; tick++) {
        double value =
            logValues
                ? Math.pow(10, Math.log10(min) + (Math.log10(max) - Math.log10(min)) * tick / 4)
                : max * tick / 4;
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                x - 6,
                y + PANEL_HEIGHT - PANEL_HEIGHT * tick / 4 + 4,
                compact(value)));
      }
      for (int n = 1; n <= maxConnections; n *= 10) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                x + (int) (PANEL_WIDTH * Math.log10(n) / logConnections),
                y + PANEL_HEIGHT + 18,
                n));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">connections</text>%n",
              x + PANEL_WIDTH / 2,
              y + PANEL_HEIGHT + 36));
      for (Map.Entry<String, NavigableMap<Integer, Double>> line : lines.entrySet()) {
        String colour = colour(models.indexOf(line.getKey()));
        StringBuilder points = new StringBuilder();
        for (Map.Entry<Integer, Double> point : line.getValue().entrySet()) {
          int px = x + (int) (PANEL_WIDTH * Math.log10(point.getKey()) / logConnections);
          int py = y + PANEL_HEIGHT - (int) (PANEL_HEIGHT * fraction(point.getValue(), min, max));
          points.append(px).append(',').append(py).append(' ');
          boolean hollow = clientBound.contains(new Point(line.getKey(), point.getKey()));
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\" stroke=\"%s\"/>%n",
                  px,
                  py,
                  hollow ? "white" : colour,
                  colour));
        }
        svg.append(
            String.format(
                Locale.ROOT,
                "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                colour,
                points.toString().trim()));
      }
    }

    private double fraction(double value, double min, double max) {
      if (logValues) {
        double span = Math.log10(max) - Math.log10(min);
        return span <= 0 ? 0.5 : (Math.log10(Math.max(value, min)) - Math.log10(min)) / span;
      }
      return max <= 0 ? 0 : value / max;
    }

    private static double positive(
        Map<String, NavigableMap<Integer, Double>> lines, boolean largest) {
      var values =
          lines.values().stream()
              .flatMap(l -> l.values().stream())
              .mapToDouble(Double::doubleValue)
              .filter(v -> v > 0);
      return (largest ? values.max() : values.min()).orElse(largest ? 10 : 1);
    }

    private static String compact(double value) {
      if (value >= 1e6) {
        return String.format(Locale.ROOT, "%.1fM", value / 1e6);
      }
      if (value >= 1e4) {
        return String.format(Locale.ROOT, "%.0fk", value / 1e3);
      }
      return String.format(Locale.ROOT, "%.0f", value);
    }
  }
}
