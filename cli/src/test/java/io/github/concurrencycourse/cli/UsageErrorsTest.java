package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.SeedSection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command reports a usage error one way, whether picocli found it while parsing or the
 * command found it after: exit code 2, the command and the message on standard error, a hint to ask
 * for help, nothing on standard output and nothing run.
 */
@Timeout(30)
class UsageErrorsTest {

  private final CourseConsole console = new CourseConsole();

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        usageError("course", "Unmatched argument at index 0: 'flee'", "flee"),
        usageError("course list", "Unknown option: '--bogus'", "list", "--bogus"),
        usageError(
            "course run",
            "Invalid value for option '--pace': must be a finite number >= 0, got 'abc'",
            "run",
            "sync.mutex",
            "--pace",
            "abc"),
        usageError(
            "course run",
            "Invalid value for option '--pace': must be a finite number >= 0, got '-0.5'",
            "run",
            "sync.mutex",
            "--pace",
            "-0.5"),
        usageError(
            "course run",
            "Invalid value for option '--timeout': must be positive, got PT0S",
            "run",
            "sync.mutex",
            "--timeout",
            "PT0S"),
        usageError("course run", "no lesson 'mutex'; did you mean sync.mutex?", "run", "mutex"),
        usageError("course run", "Missing required parameter: 'ID'", "run"),
        usageError(
            "course tour",
            "Invalid value for option '--pace': must be a finite number >= 0, got 'NaN'",
            "tour",
            "--pace",
            "NaN"),
        usageError(
            "course tour",
            "Invalid value for option '--timeout': not an ISO-8601 duration such as PT0.5S or"
                + " PT1M: '60s'",
            "tour",
            "--timeout",
            "60s"),
        usageError(
            "course crawl",
            "give the URLs to crawl, or --demo, but not both and not neither",
            "crawl"),
        usageError(
            "course crawl",
            "give the URLs to crawl, or --demo, but not both and not neither",
            "crawl",
            "--demo",
            "http://127.0.0.1:9/"),
        usageError(
            "course crawl",
            "not an http or https URL: 'ftp://example.invalid/'",
            "crawl",
            "ftp://example.invalid/"),
        usageError(
            "course crawl",
            "concurrency must be >= 1, got 0",
            "crawl",
            "http://127.0.0.1:9/",
            "--concurrency",
            "0"),
        usageError(
            "course crawl",
            "Invalid value for option '--progress': must be positive, got PT0S",
            "crawl",
            "--demo",
            "--progress",
            "PT0S"),
        usageError(
            "course crawl",
            "bad demo site: pages must be >= 1, got 0",
            "crawl",
            "--demo",
            "--demo-pages",
            "0"),
        usageError(
            "course serve echo", "Missing required option: '--model=MODEL'", "serve", "echo"),
        usageError(
            "course client",
            "PORT must be between 1 and 65535, got 70000",
            "client",
            "127.0.0.1",
            "70000"),
        usageError(
            "course client",
            "Invalid value for option '--timeout': must be positive, got PT0S",
            "client",
            "127.0.0.1",
            "8080",
            "--timeout",
            "PT0S"),
        usageError(
            "course serve echo",
            "no echo server model 'smoke-signals'; available: ",
            "serve",
            "echo",
            "--model",
            "smoke-signals"),
        usageError(
            "course serve echo",
            "the blocking echo server does not support --max-connections",
            "serve",
            "echo",
            "--model",
            "blocking",
            "--max-connections",
            "10"),
        usageError(
            "course bench io-models",
            "no echo server model smoke-signals; known: netty-nio, ",
            "bench",
            "io-models",
            "--models",
            "selector,smoke-signals"),
        usageError(
            "course bench io-models",
            "connections, sizes and inFlight must be positive",
            "bench",
            "io-models",
            "--models",
            "selector",
            "--in-flight",
            "0"));
  }

  private static Arguments usageError(String command, String message, String... args) {
    return Arguments.of(String.join(" ", args), command, message, args);
  }

  @ParameterizedTest(name = "course {0}")
  @MethodSource("usageErrors")
  void isReportedTheOneWay(String line, String command, String message, String[] args) {
    int exit =
        console.run(
            List.of(ScriptedLesson.printing("sync.mutex", SeedSection.THREAD_MUTEX)), "", args);

    assertThat(exit).isEqualTo(2);
    assertThat(console.err())
        .startsWith(command + ": " + message)
        .endsWith("Try '" + command + " --help' for more information.\n")
        .doesNotContain("\tat ");
    assertThat(console.out()).isEmpty();
  }
}
