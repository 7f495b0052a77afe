package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every module README has the sections of its kind, under the same headings, in the same order, and
 * no other top-level section, so that a reader finds the same part in the same place in each: a
 * topic module (one with lessons) has {@link #TOPIC}, any other module {@link #INFRASTRUCTURE}. A
 * module with a second topic gives it a subsection ({@code ###}) inside those sections, never a
 * second set of its own.
 */
class ModuleReadmeShapeTest {

  static final List<String> TOPIC =
      List.of(
          "What the seed does",
          "The Java way",
          "Lessons",
          "Library",
          "What the tests prove",
          "Measured",
          "Pitfalls");

  static final List<String> INFRASTRUCTURE =
      List.of("What it is for", "Use", "Reference", "What the tests prove", "Pitfalls");

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  /** Each module of the reactor with the shape its README must have. */
  static Stream<Arguments> modules() throws IOException {
    // Surefire runs in the module's directory; the reactor's pom is one level up.
    String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
    Set<String> topics = LessonRegistry.load().byModule().keySet();
    List<String> modules = MODULE.matcher(pom).results().map(module -> module.group(1)).toList();
    assertThat(modules).as("modules of the reactor").containsAll(topics).contains("common", "cli");
    return modules.stream()
        .map(module -> Arguments.of(module, topics.contains(module) ? TOPIC : INFRASTRUCTURE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void theReadmeHasTheSectionsOfItsKindInOrder(String module, List<String> shape)
      throws IOException {
    List<String> lines =
        Files.readAllLines(Path.of("..", module, "README.md"), StandardCharsets.UTF_8);

    assertThat(lines).as("%s/README.md", module).first().isEqualTo("# " + module);
    assertThat(sections(lines)).as("sections of %s/README.md", module).isEqualTo(shape);
  }

  @Test
  void sectionsAreTheSecondLevelHeadingsOutsideCodeBlocks() {
    List<String> lines =
        List.of(
            "# module",
            "## One",
            "### a subsection",
            "```sh",
            "## a comment in a block",
            "```",
            "##not a heading",
            "## Two");

    assertThat(sections(lines)).containsExactly("One", "Two");
  }

  /** The titles of the {@code ##} headings, skipping fenced code blocks. */
  private static List<String> sections(List<String> lines) {
    List<String> sections = new ArrayList<>();
    boolean inCode = false;
    for (String line : lines) {
      if (line.startsWith("```")) {
        inCode = !inCode;
      } else if (!inCode && line.startsWith("## ")) {
        sections.add(line.substring("## ".length()).strip());
      }
    }
    return sections;
  }
}
