package io.github.concurrencycourse.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an option's ISO-8601 duration ({@code PT0.5S}, {@code PT1M}) that must be longer than zero:
 * a deadline, a timeout or a period. Anything else is a usage error, reported when the command line
 * is parsed.
 */
final class PositiveDuration implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    Duration duration;
    try {
      duration = Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "not an ISO-8601 duration such as PT0.5S or PT1M: '" + value + "'");
    }
    if (!duration.isPositive()) {
      throw new TypeConversionException("must be positive, got " + value);
    }
    return duration;
  }
}
