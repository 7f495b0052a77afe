package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.PrintStream;
import picocli.CommandLine.Command;

/**
 * {@code course list}: the lessons in the tour's order, under the heading of the seed section each
 * ports; a lesson beyond the seed is listed under a heading of its own, {@code beyond the seed
 * (after <section>)}, never under a section it does not port. The root README's index uses the same
 * headings, row by row.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List the lessons in the tour's order, under the seed section each ports;"
            + " lessons beyond the seed under a heading of their own.")
final class ListCommand implements Runnable {

  private final LessonRegistry registry;
  private final PrintStream out;

  ListCommand(LessonRegistry registry, PrintStream out) {
    this.registry = registry;
    this.out = out;
  }

  /**
   * The heading {@code lesson} is listed under: its seed section's own title, or {@code beyond the
   * seed (after <that title>)} for a lesson that teaches what the seed does not.
   */
  static String heading(Lesson lesson) {
    String section = lesson.seedSection().heading();
    return lesson.beyondTheSeed() ? "beyond the seed (after " + section + ")" : section;
  }

  @Override
  public void run() {
    if (registry.isEmpty()) {
      out.println("No lessons are registered yet: no topic module on the class path has one.");
      return;
    }
    int idWidth = registry.all().stream().mapToInt(l -> l.id().length()).max().orElse(0);
    String current = null;
    // The registry keeps a section's lessons together, those beyond the seed right after them.
    for (Lesson lesson : registry.all()) {
      String heading = heading(lesson);
      if (!heading.equals(current)) {
        out.println(heading);
        current = heading;
      }
      out.printf(
          "  %-" + idWidth + "s  %s%s%n",
          lesson.id(),
          lesson.title(),
          lesson.interactive() ? " (interactive)" : "");
    }
  }
}
