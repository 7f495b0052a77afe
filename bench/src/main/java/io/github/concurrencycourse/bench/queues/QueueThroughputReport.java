package io.github.concurrencycourse.bench.queues;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the queue benchmarks at one and at four producer/consumer pairs in one go and prints a
 * Markdown table of delivered elements per millisecond (the {@code take} rate) with the ratio of
 * each course queue to its JDK counterpart: {@link FifoQueueBenchmark} and {@link
 * PriorityQueueBenchmark}. Side by side in one run, because these machines are shared and noisy.
 *
 * <p>Build with {@code mvn -pl bench -am package -DskipTests}, then run {@code java -cp
 * bench/target/benchmarks.jar io.github.concurrencycourse.bench.queues.QueueThroughputReport}. JMH
 * options given on the command line (such as {@code -wi 2 -i 3 -w 1s -r 1s}) override the
 * benchmarks' defaults.
 */
public final class QueueThroughputReport {

  private static final int[] PAIRS = {1, 4};

  /** Our queue, then the JDK queues it is compared with, the fair counterpart first. */
  private static final List<Map.Entry<String, String>> COUNTERPARTS =
      List.of(
          Map.entry("JoinableQueue", "ArrayBlockingQueue"),
          Map.entry("BoundedPriorityBlockingQueue", "PriorityBlockingQueue+Semaphore"),
          Map.entry("BoundedPriorityBlockingQueue", "PriorityBlockingQueue"));

  private QueueThroughputReport() {}

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    CommandLineOptions commandLine = new CommandLineOptions(args);
    // benchmark -> queue -> pairs -> delivered per ms
    Map<String, Map<String, Map<Integer, Result<?>>>> takes = new TreeMap<>();
    for (int pairs : PAIRS) {
      ChainedOptionsBuilder options =
          new OptionsBuilder()
              .parent(commandLine)
              .include(FifoQueueBenchmark.class.getName())
              .include(PriorityQueueBenchmark.class.getName())
              .threadGroups(pairs, pairs);
      Collection<RunResult> results = new Runner(options.build()).run();
      for (RunResult run : results) {
        String benchmark = run.getParams().getBenchmark();
        String queue = run.getParams().getParam("queue");
        Result<?> take = run.getSecondaryResults().get("take");
        takes
            .computeIfAbsent(
                benchmark.replaceAll(".*\\.(\\w+)Benchmark\\..*", "$1"), k -> new TreeMap<>())
            .computeIfAbsent(queue, k -> new TreeMap<>())
            .put(pairs, take);
      }
    }
    System.out.println(table(takes));
  }

  private static String table(Map<String, Map<String, Map<Integer, Result<?>>>> takes) {
    List<String> lines = new ArrayList<>();
    lines.add("| pairs | course queue | ops/ms | JDK queue | ops/ms | ratio (course / JDK) |");
    lines.add("|---:|---|---:|---|---:|---:|");
    for (Map<String, Map<Integer, Result<?>>> byQueue : takes.values()) {
      for (Map.Entry<String, String> pair : COUNTERPARTS) {
        Map<Integer, Result<?>> ours = byQueue.get(pair.getKey());
        Map<Integer, Result<?>> jdk = byQueue.get(pair.getValue());
        if (ours == null || jdk == null) {
          continue;
        }
        for (int pairs : PAIRS) {
          Result<?> o = ours.get(pairs);
          Result<?> j = jdk.get(pairs);
          lines.add(
              String.format(
                  Locale.ROOT,
                  "| %d | %s | %.0f ± %.0f | %s | %.0f ± %.0f | %.2f |",
                  pairs,
                  pair.getKey(),
                  o.getScore(),
                  error(o),
                  pair.getValue(),
                  j.getScore(),
                  error(j),
                  o.getScore() / j.getScore()));
        }
      }
    }
    return String.join(System.lineSeparator(), lines);
  }

  /** The 99.9% confidence half-width, or 0 when there were too few iterations to have one. */
  private static double error(Result<?> result) {
    double error = result.getScoreError();
    return Double.isNaN(error) ? 0 : error;
  }
}
