package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.lesson.Pace;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --pace} option of the commands that run lessons: the time scale of the lessons' demo
 * sleeps. A value that is not a finite number of at least 0 is a usage error, reported when the
 * command line is parsed. Each command gives its own default.
 */
final class PaceOption {

  @Option(
      names = "--pace",
      paramLabel = "X",
      converter = PaceFactor.class,
      description =
          "time scale of the demo sleeps: 1 is the seed's timing, 0.02 fifty times faster, 0 no"
              + " sleeps (default: ${DEFAULT-VALUE})")
  private double factor;

  /** The option, {@code fallback} unless given. */
  PaceOption(Pace fallback) {
    this.factor = fallback.factor();
  }

  /** The pace given, or the command's default. */
  Pace pace() {
    return new Pace(factor);
  }

  /** Reads a pace factor, refusing what {@link Pace} refuses. */
  static final class PaceFactor implements ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
      try {
        return new Pace(Double.parseDouble(value)).factor();
      } catch (IllegalArgumentException e) {
        // NumberFormatException is one too: "abc" and "-1" get the same answer.
        throw new TypeConversionException("must be a finite number >= 0, got '" + value + "'");
      }
    }
  }
}
