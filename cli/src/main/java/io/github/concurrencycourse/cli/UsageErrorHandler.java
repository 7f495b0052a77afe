package io.github.concurrencycourse.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every {@code course} command reports a usage error, whether picocli found it while parsing or
 * the command found it afterwards and threw {@link ParameterException}: the command's name and the
 * message on standard error, suggestions for a mistyped option or subcommand, a hint to ask for
 * help, and exit code 2. The full usage is left to {@code --help}, so the message stays in view.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    PrintWriter err = command.getErr();
    err.println(command.getColorScheme().errorText(name + ": " + error.getMessage()));
    UnmatchedArgumentException.printSuggestions(error, err);
    err.println("Try '" + name + " --help' for more information.");
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }
}
