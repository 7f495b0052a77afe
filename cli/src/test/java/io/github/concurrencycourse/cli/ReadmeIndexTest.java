package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The root README's index is only worth reading if it says what {@code course list} says: the same
 * lessons under the same headings, section for section and in the same order, each row linking the
 * README of the lesson's own module. A lesson beyond the seed therefore sits under {@code beyond
 * the seed (after <section>)}, never under a seed section it does not port.
 */
class ReadmeIndexTest {

  /** {@code | heading | [`id`](dir/README.md) | module |}. */
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| (.+?) \\| \\[`([a-z0-9.-]+)`\\]\\(([a-z-]+)/README\\.md\\) \\| ([a-z-]+) \\|$");

  private static List<Matcher> rows;

  @BeforeAll
  static void readTheIndex() throws IOException {
    // Surefire runs in the module's directory; the README is at the root of the reactor.
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    rows = lines.stream().map(ROW::matcher).filter(Matcher::matches).toList();
  }

  @Test
  void theIndexHasTheSectionsAndLessonsOfCourseListInItsOrder() {
    List<Section> readme = new ArrayList<>();
    for (Matcher row : rows) {
      add(readme, row.group(1), row.group(2));
    }

    assertThat(readme).isEqualTo(courseList());
  }

  @Test
  void everyRowLinksTheReadmeOfItsLessonsModuleAndNamesEachLessonOnce() {
    LessonRegistry registry = LessonRegistry.load();
    Set<String> seen = new TreeSet<>();
    for (Matcher row : rows) {
      String id = row.group(2);
      assertThat(seen.add(id)).as("%s listed once", id).isTrue();
      Lesson lesson = registry.find(id).orElseThrow();
      assertThat(row.group(3)).as("README linked for %s", id).isEqualTo(lesson.module());
      assertThat(row.group(4)).as("module of %s", id).isEqualTo(lesson.module());
    }
  }

  /** What {@code course list} prints, read back into sections. */
  private static List<Section> courseList() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        CourseCommand.commandLine(
                LessonRegistry.load(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader("")))
            .execute("list");
    assertThat(exit).isZero();
    List<Section> sections = new ArrayList<>();
    String heading = null;
    for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
      if (line.startsWith("  ")) {
        add(sections, heading, line.strip().split(" +", 2)[0]);
      } else {
        heading = line;
      }
    }
    return sections;
  }

  /** Adds {@code id} to the last section if it has this heading, else to a new one. */
  private static void add(List<Section> sections, String heading, String id) {
    if (sections.isEmpty() || !sections.getLast().heading().equals(heading)) {
      sections.add(new Section(heading, new TreeSet<>()));
    }
    sections.getLast().lessons().add(id);
  }

  /** One heading of the index and the lessons under it, in no particular order. */
  private record Section(String heading, Set<String> lessons) {}
}
