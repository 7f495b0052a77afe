package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code course list}: the lessons grouped by module, each with the seed section it ports. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the lessons, grouped by module, with the seed section each ports.")
final class ListCommand implements Runnable {

  private final LessonRegistry registry;
  private final PrintStream out;

  ListCommand(LessonRegistry registry, PrintStream out) {
    this.registry = registry;
    this.out = out;
  }

  @Override
  public void run() {
    if (registry.isEmpty()) {
      out.println("No lessons are registered yet: no topic module on the class path has one.");
      return;
    }
    int idWidth = registry.all().stream().mapToInt(l -> l.id().length()).max().orElse(0);
    for (Map.Entry<String, List<Lesson>> module : registry.byModule().entrySet()) {
      out.println(module.getKey());
      for (Lesson lesson : module.getValue()) {
        out.printf(
            "  %-" + idWidth + "s  %s%s  [%s]%n",
            lesson.id(),
            lesson.title(),
            lesson.interactive() ? " (interactive)" : "",
            lesson.seedSection().heading());
      }
    }
  }
}
