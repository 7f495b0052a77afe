package io.github.concurrencycourse.bench.crawler;

import java.util.List;
import java.util.Locale;

/**
 * A bar chart, as SVG text, of measured throughput as a fraction of the Little's-law bound: one bar
 * per concurrency, a dashed line at the 0.9 target. Stateless.
 */
final class RatioChart {

  private static final int WIDTH = 480;
  private static final int HEIGHT = 300;
  private static final int LEFT = 50;
  private static final int BOTTOM = 40;
  private static final int TOP = 40;
  private static final double TARGET = 0.9;

  private RatioChart() {}

  /** The chart for {@code rows}, titled with {@code subtitle}. */
  static String svg(List<CrawlerThroughputBenchmark.Row> rows, String subtitle) {
    int plotWidth = WIDTH - LEFT - 20;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(svg, WIDTH / 2, 18, "middle", "Crawler pages/s ÷ Little's-law bound (c ÷ latency)");
    text(svg, WIDTH / 2, 32, "middle", subtitle);
    for (double tick = 0; tick <= 1.0001; tick += 0.25) {
      double y = TOP + plotHeight * (1 - tick);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
              LEFT,
              y,
              LEFT + plotWidth,
              y));
      text(svg, LEFT - 6, (int) y + 4, "end", String.format(Locale.ROOT, "%.2f", tick));
    }
    double targetY = TOP + plotHeight * (1 - TARGET);
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\""
                + " stroke-dasharray=\"6 4\"/>%n",
            LEFT,
            targetY,
            LEFT + plotWidth,
            targetY));
    text(svg, LEFT + plotWidth, (int) targetY - 4, "end", "target 0.9");
    double slot = (double) plotWidth / Math.max(1, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      CrawlerThroughputBenchmark.Row row = rows.get(i);
      double ratio = Math.min(1.0, row.ratio());
      double barHeight = plotHeight * ratio;
      double x = LEFT + slot * i + slot * 0.2;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea5\"/>%n",
              x,
              TOP + plotHeight - barHeight,
              slot * 0.6,
              barHeight));
      int centre = (int) (x + slot * 0.3);
      text(
          svg,
          centre,
          (int) (TOP + plotHeight - barHeight) - 4,
          "middle",
          String.format(Locale.ROOT, "%.2f", row.ratio()));
      text(svg, centre, TOP + plotHeight + 16, "middle", row.concurrency() + " in flight");
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void text(StringBuilder svg, int x, int y, String anchor, String content) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>%n",
            x,
            y,
            anchor,
            content.replace("&", "&amp;").replace("<", "&lt;")));
  }
}
