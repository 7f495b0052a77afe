package io.github.concurrencycourse.memorymodel.jcstress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.grading.TestGrading;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * What one jcstress run showed, test by test, and whether it may pass the build.
 *
 * <p>A run passes when every expected test ran normally, collected samples, and never showed an
 * outcome labelled {@link Expect#FORBIDDEN}. jcstress itself throws at the end of a run with a
 * forbidden outcome, but it exits normally when no test matched its selection or when it could not
 * find a JVM to run them on; this check catches those too, and prints the outcomes as a Markdown
 * table for the module README.
 *
 * <p>From the command line, with the runnable jar that the module builds:
 *
 * <pre>
 * java -cp memory-model/target/jcstress.jar \
 *     io.github.concurrencycourse.memorymodel.jcstress.JcstressVerdict DIR [TEST_REGEX]
 * </pre>
 *
 * where {@code DIR} is the directory jcstress ran in (it holds one {@code
 * jcstress-results-*.bin.gz}) and {@code TEST_REGEX} selects the tests that must be there (default:
 * {@link #DEFAULT_TESTS}). It writes the table to {@code DIR/outcomes.md}, prints a summary, and
 * exits with 1, printing the table and the reasons, if the run must fail the build.
 *
 * <p>Immutable and thread-safe.
 */
public final class JcstressVerdict {

  /**
   * The tests of the default set: those directly in this package. The deliberately wrong ones in
   * {@code selfcheck} stay out.
   */
  public static final String DEFAULT_TESTS =
      "^io\\.github\\.concurrencycourse\\.memorymodel\\.jcstress\\.[A-Z]";

  /** One observed outcome of a test. */
  record Row(String state, long samples, Expect expect, String description) {}

  /**
   * Everything one test showed, across the configurations it ran in.
   *
   * @param test the test's class name
   * @param ranNormally whether every run of it ended normally (no VM error, timeout or exception)
   * @param rows its outcomes, the declared ones with 0 samples included
   */
  record TestOutcome(String test, boolean ranNormally, List<Row> rows) {
    TestOutcome {
      rows = List.copyOf(rows);
    }

    long samples() {
      return rows.stream().mapToLong(Row::samples).sum();
    }

    List<Row> forbiddenSeen() {
      return rows.stream().filter(r -> r.expect() == Expect.FORBIDDEN && r.samples() > 0).toList();
    }

    boolean interesting() {
      return rows.stream()
          .anyMatch(r -> r.expect() == Expect.ACCEPTABLE_INTERESTING && r.samples() > 0);
    }
  }

  private final List<TestOutcome> outcomes;

  JcstressVerdict(Collection<TestOutcome> outcomes) {
    this.outcomes = outcomes.stream().sorted(Comparator.comparing(TestOutcome::test)).toList();
  }

  /**
   * Reads the result file that jcstress wrote in {@code runDirectory}.
   *
   * @throws IllegalStateException if the directory holds no result file, or more than one
   * @throws IOException if the file cannot be read
   */
  static JcstressVerdict read(Path runDirectory) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(runDirectory)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().matches("jcstress-results-.*\\.bin\\.gz"))
              .toList();
    }
    if (files.size() != 1) {
      throw new IllegalStateException(
          "expected one jcstress result file in " + runDirectory + ", found " + files);
    }
    InProcessCollector collector = new InProcessCollector();
    DiskReadCollector reader = new DiskReadCollector(files.get(0).toString(), collector);
    try {
      reader.dump();
    } catch (ClassNotFoundException e) {
      throw new IOException("unreadable jcstress result file " + files.get(0), e);
    } finally {
      reader.close();
    }
    List<TestOutcome> outcomes = new ArrayList<>();
    for (TestResult result : ReportUtils.mergedByName(collector.getTestResults())) {
      TestGrading grading = TestGrading.grade(result);
      List<Row> rows = new ArrayList<>();
      for (GradingResult graded : grading.gradingResults.values()) {
        rows.add(new Row(graded.id, graded.count, graded.expect, graded.description));
      }
      outcomes.add(new TestOutcome(result.getName(), result.status() == Status.NORMAL, rows));
    }
    return new JcstressVerdict(outcomes);
  }

  /** The outcomes, by test name. */
  List<TestOutcome> outcomes() {
    return outcomes;
  }

  /**
   * Why this run must fail the build, one line per reason; empty if it may pass.
   *
   * @param expectedTests the tests that must be in the run
   */
  List<String> problems(Collection<String> expectedTests) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = outcomes.stream().map(TestOutcome::test).collect(Collectors.toSet());
    if (expectedTests.isEmpty()) {
      problems.add("no test was expected: the selection matches nothing");
    }
    for (String test : new TreeSet<>(expectedTests)) {
      if (!seen.contains(test)) {
        problems.add(test + " did not run");
      }
    }
    for (TestOutcome outcome : outcomes) {
      if (!outcome.ranNormally()) {
        problems.add(outcome.test() + " did not run normally (see the jcstress log)");
      } else if (outcome.samples() == 0) {
        problems.add(outcome.test() + " collected no sample");
      }
      for (Row forbidden : outcome.forbiddenSeen()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s showed the forbidden outcome [%s] %,d times: %s",
                outcome.test(),
                forbidden.state(),
                forbidden.samples(),
                forbidden.description()));
      }
    }
    return problems;
  }

  /**
   * The outcomes as a Markdown table: one row per test, its outcomes with their sample counts, the
   * interesting ones and any forbidden one marked.
   */
  String markdown() {
    StringBuilder table = new StringBuilder();
    table.append("| test | outcomes (samples) | result |\n");
    table.append("|---|---|---|\n");
    for (TestOutcome outcome : outcomes) {
      String observed =
          outcome.rows().stream().map(JcstressVerdict::describe).collect(Collectors.joining(" · "));
      String result;
      if (!outcome.ranNormally()) {
        result = "ERROR";
      } else if (!outcome.forbiddenSeen().isEmpty()) {
        result = "**FAILED**";
      } else {
        result = outcome.interesting() ? "OK, interesting" : "OK";
      }
      table
          .append("| `")
          .append(shortName(outcome.test()))
          .append("` | ")
          .append(observed)
          .append(" | ")
          .append(result)
          .append(" |\n");
    }
    return table.toString();
  }

  /**
   * The names of the tests in the jcstress test list on the class path that match {@code regex}.
   */
  static Set<String> testsMatching(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return TestList.tests().stream()
        .filter(test -> pattern.matcher(test).find())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Checks the run in {@code args[0]}: writes its table to {@code outcomes.md} there, prints a
   * summary, and exits with 1 if it must fail the build. {@code args[1]}, if given, selects the
   * expected tests instead of {@link #DEFAULT_TESTS}.
   */
  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (args.length < 1 || args.length > 2) {
      out.println("usage: JcstressVerdict RUN_DIRECTORY [TEST_REGEX]");
      System.exit(2);
    }
    Path runDirectory = Path.of(args[0]);
    JcstressVerdict verdict = read(runDirectory);
    Path table = runDirectory.resolve("outcomes.md");
    Files.writeString(table, verdict.markdown(), StandardCharsets.UTF_8);
    List<String> problems =
        verdict.problems(testsMatching(args.length > 1 ? args[1] : DEFAULT_TESTS));
    if (!problems.isEmpty()) {
      out.print(verdict.markdown());
      out.println();
      out.println("jcstress: the run fails:");
      problems.forEach(problem -> out.println("  " + problem));
      System.exit(1);
    }
    long interesting = verdict.outcomes.stream().filter(TestOutcome::interesting).count();
    out.printf(
        Locale.ROOT,
        "jcstress: %d tests ran, %d showed an interesting outcome, none a forbidden one (%s)%n",
        verdict.outcomes.size(),
        interesting,
        table);
  }

  private static String describe(Row row) {
    String mark =
        switch (row.expect()) {
          case FORBIDDEN -> row.samples() > 0 ? " **forbidden**" : "";
          case ACCEPTABLE_INTERESTING -> row.samples() > 0 ? " *interesting*" : "";
          default -> "";
        };
    return String.format(Locale.ROOT, "`%s` %,d%s", row.state(), row.samples(), mark);
  }

  private static String shortName(String test) {
    return test.substring(test.lastIndexOf('.', test.lastIndexOf('.') - 1) + 1);
  }
}
