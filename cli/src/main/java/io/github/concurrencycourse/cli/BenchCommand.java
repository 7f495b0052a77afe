package io.github.concurrencycourse.cli;

import picocli.CommandLine.Command;

/** {@code course bench}: groups the measurements the course can run; today, {@code io-models}. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure the course's servers side by side and print the tables.")
final class BenchCommand extends CommandGroup {}
