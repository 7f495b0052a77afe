package io.github.concurrencycourse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code course serve}: groups the servers the course can run; today, {@code echo}. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run one of the course's servers until Ctrl-C.")
final class ServeCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
