package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code course} command: lists, runs and tours the lessons found on the class path.
 *
 * <p>Exit codes: 0 success; 1 a lesson, crawl or server failed; 2 a usage error (unknown lesson or
 * model, bad option or setting), reported by every command the same way: see {@link
 * UsageErrorHandler}.
 */
@Command(
    name = "course",
    mixinStandardHelpOptions = true,
    versionProvider = CourseVersion.class,
    description =
        "The Python concurrency tutorial, ported to Java: list, run and tour its lessons.",
    subcommands = {CommandLine.HelpCommand.class})
public final class CourseCommand extends CommandGroup {

  /**
   * Builds the command line over {@code registry}. Lessons print to {@code out} and read {@code
   * in}; picocli's own messages go to {@code out} and {@code err}.
   */
  public static CommandLine commandLine(
      LessonRegistry registry, PrintStream out, PrintStream err, BufferedReader in) {
    CommandLine commandLine = new CommandLine(new CourseCommand());
    commandLine.addSubcommand(new ListCommand(registry, out));
    // A lesson's own options stay in the order typed, among its other arguments: --db X --unsafe.
    commandLine.addSubcommand(
        new CommandLine(new RunCommand(registry, out, err, in))
            .setUnmatchedOptionsArePositionalParams(true));
    commandLine.addSubcommand(new TourCommand(registry, out, err));
    commandLine.addSubcommand(new CrawlCommand(out, err));
    commandLine.addSubcommand(
        new CommandLine(new ServeCommand())
            .addSubcommand(
                new ServeEchoCommand(EchoServerModels.load(), out, err, StopSignal::onShutdown)));
    commandLine.addSubcommand(new ClientCommand(out, err, in));
    commandLine.addSubcommand(
        new CommandLine(new BenchCommand()).addSubcommand(new BenchIoModelsCommand(out, err)));
    commandLine.setParameterExceptionHandler(new UsageErrorHandler());
    commandLine.setOut(new PrintWriter(new OutputStreamWriter(out, out.charset()), true));
    commandLine.setErr(new PrintWriter(new OutputStreamWriter(err, err.charset()), true));
    return commandLine;
  }

  /** Runs {@code course} with the process's standard streams, in UTF-8 whatever the locale. */
  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int exitCode = commandLine(LessonRegistry.load(), out, err, in).execute(args);
    System.exit(exitCode);
  }
}
