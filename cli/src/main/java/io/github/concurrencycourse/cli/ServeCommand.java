package io.github.concurrencycourse.cli;

import picocli.CommandLine.Command;

/** {@code course serve}: groups the servers the course can run; today, {@code echo}. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run one of the course's servers until Ctrl-C.")
final class ServeCommand extends CommandGroup {}
