package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class BenchIoModelsCommandTest {

  private final CourseConsole console = new CourseConsole();

  @TempDir Path directory;

  @Test
  void comparesModelsOfBothModulesAndWritesTablesAndChart() throws Exception {
    Path chart = directory.resolve("chart.svg");

    int exit =
        console.run(
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

    assertThat(exit).as(console.err()).isZero();
    assertThat(console.out())
        .contains("| msg | conns | model | req/s | × netty-nio |")
        .contains("| 64 B | 8 | netty-nio |")
        .contains("| 64 B | 8 | virtual |")
        .contains("| model | connections | resident KiB per connection |")
        .contains("2 in flight per connection");
    assertThat(console.err()).contains("virtual").contains("req/s");
    assertThat(Files.readString(chart)).startsWith("<svg").contains("virtual", "netty-nio");
    assertThat(ProcessHandle.current().children()).isEmpty();
  }
}
