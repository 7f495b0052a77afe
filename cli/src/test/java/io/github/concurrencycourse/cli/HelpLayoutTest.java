package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's {@code --help} reads well in an 80-column terminal, picocli's default width. */
class HelpLayoutTest {

  @Test
  void everyCommandsHelpFitsEightyColumnsAndWrapsOnlyWholeParagraphs() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    CommandLine course =
        CourseCommand.commandLine(
            LessonRegistry.of(List.of()), quiet, quiet, new BufferedReader(new StringReader("")));
    List<CommandLine> commands = new ArrayList<>();
    collect(course, commands);

    assertThat(commands).hasSizeGreaterThan(8);
    for (CommandLine command : commands) {
      String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
      String name = command.getCommandSpec().qualifiedName();
      assertThat(help.lines())
          .as("the help of %s", name)
          .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
      // picocli wraps each description line on its own: one longer than the width must be a
      // paragraph that ends there, or the wrap leaves a stray short line in mid-sentence.
      for (String line : command.getCommandSpec().usageMessage().description()) {
        if (line.length() > 80) {
          assertThat(line).as("a description line of %s", name).endsWith(".");
        }
      }
    }
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().stream()
        .distinct()
        .filter(sub -> !sub.getCommandName().equals("help"))
        .forEach(sub -> collect(sub, into));
  }
}
