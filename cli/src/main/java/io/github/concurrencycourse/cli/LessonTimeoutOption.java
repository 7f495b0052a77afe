package io.github.concurrencycourse.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code --timeout} option of the commands that run lessons: how long one lesson may run before
 * it is stopped and counted as failed. A value that is not a positive ISO-8601 duration is a usage
 * error, reported when the command line is parsed. Each command gives its own default.
 */
final class LessonTimeoutOption {

  @Option(
      names = "--timeout",
      paramLabel = "D",
      converter = PositiveDuration.class,
      description =
          "how long one lesson may run before it is stopped, ISO-8601 (default: ${DEFAULT-VALUE})")
  private Duration timeout;

  /** The option, {@code fallback} unless given. */
  LessonTimeoutOption(Duration fallback) {
    this.timeout = fallback;
  }

  /** The timeout given, or the command's default. */
  Duration timeout() {
    return timeout;
  }
}
