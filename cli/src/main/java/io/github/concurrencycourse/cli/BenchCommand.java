package io.github.concurrencycourse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code course bench}: groups the measurements the course can run; today, {@code io-models}. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure the course's servers side by side and print the tables.")
final class BenchCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
