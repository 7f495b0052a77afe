package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class BenchIoModelsCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir Path directory;

  private int course(String... args) {
    return CourseCommand.commandLine(
            LessonRegistry.of(List.of()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new BufferedReader(new StringReader("")))
        .execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void comparesModelsOfBothModulesAndWritesTablesAndChart() throws Exception {
    Path chart = directory.resolve("chart.svg");

    int exit =
        course(
            "bench",
            "io-models",
            "--models",
            "netty-nio,virtual",
            "--connections",
            "1,8",
            "--sizes",
            "64",
            "--in-flight",
            "2",
            "--warm-up",
            "PT0.05S",
            "--duration",
            "PT0.2S",
            "--svg",
            chart.toString());

    assertThat(exit).as(err()).isZero();
    assertThat(out())
        .contains("| msg | conns | model | req/s | × netty-nio |")
        .contains("| 64 B | 8 | netty-nio |")
        .contains("| 64 B | 8 | virtual |")
        .contains("| model | connections | resident KiB per connection |")
        .contains("2 in flight per connection");
    assertThat(err()).contains("virtual").contains("req/s");
    assertThat(Files.readString(chart)).startsWith("<svg").contains("virtual", "netty-nio");
    assertThat(ProcessHandle.current().children()).isEmpty();
  }

  @Test
  void anUnknownModelIsAnErrorThatNamesTheKnownOnes() {
    int exit = course("bench", "io-models", "--models", "smoke-signals");

    assertThat(exit).isEqualTo(2);
    assertThat(err()).contains("smoke-signals").contains("selector").contains("prefork");
  }

  @Test
  void aPlanThatCannotBeRunIsAnError() {
    int exit = course("bench", "io-models", "--models", "selector", "--in-flight", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err()).contains("positive");
  }
}
