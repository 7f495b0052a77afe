package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The cli README's command table is only worth reading if it matches the commands that exist. */
class CliReadmeTest {

  /** A row of the table: its first cell is a synopsis in backticks, {@code course ...}. */
  private static final Pattern ROW = Pattern.compile("^\\| `course ((?:[^`])+)` \\|");

  private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");

  @Test
  void theTableNamesEveryCommandAndEveryOptionAndNothingElse() throws IOException {
    assertThat(readmeSynopses()).isEqualTo(picocliSynopses());
  }

  /** Each command of the README's table (such as {@code serve echo}) and the options it lists. */
  private static Map<String, Set<String>> readmeSynopses() throws IOException {
    // Surefire runs in the module's directory, where the README is.
    Map<String, Set<String>> synopses = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        String[] words = row.group(1).split(" ");
        String command =
            String.join(
                " ", Arrays.stream(words).takeWhile(word -> word.matches("[a-z][a-z-]*")).toList());
        Set<String> options = synopses.computeIfAbsent(command, c -> new TreeSet<>());
        OPTION.matcher(row.group(1)).results().forEach(option -> options.add(option.group()));
      }
    }
    return synopses;
  }

  /** Each command {@code course} runs (groups excluded) and its options, help and version aside. */
  private static Map<String, Set<String>> picocliSynopses() {
    CommandLine course = new CourseConsole().commandLine(List.of(), "");
    Map<String, Set<String>> synopses = new TreeMap<>();
    addLeaves(course, synopses);
    return synopses;
  }

  private static void addLeaves(CommandLine command, Map<String, Set<String>> synopses) {
    if (command.getSubcommands().isEmpty()) {
      Set<String> options = new TreeSet<>();
      for (OptionSpec option : command.getCommandSpec().options()) {
        if (!option.usageHelp() && !option.versionHelp()) {
          options.add(option.longestName());
        }
      }
      String name = command.getCommandSpec().qualifiedName();
      synopses.put(name.substring("course ".length()), options);
      return;
    }
    command.getSubcommands().values().stream()
        .distinct()
        .forEach(subcommand -> addLeaves(subcommand, synopses));
  }
}
